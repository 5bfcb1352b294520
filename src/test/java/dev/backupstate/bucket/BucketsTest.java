package dev.backupstate.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which endpoints are AWS's own, and so get the SDK's chunked uploads and default checksums. */
class BucketsTest {

    @ParameterizedTest(name = "{0} is AWS: {1}")
    @CsvSource({
            "https://s3.amazonaws.com, true",
            "https://s3.eu-central-1.amazonaws.com, true",
            "https://s3.dualstack.us-east-1.amazonaws.com, true",
            "https://s3.cn-north-1.amazonaws.com.cn, true",
            "http://minio:9000, false",
            "http://127.0.0.1:9000, false",
            "https://amazonaws.com.attacker.example, false",
            "https://storage.googleapis.com, false"})
    void should_know_aws_endpoints(String endpoint, boolean aws) {
        assertThat(Buckets.isAws(endpoint)).isEqualTo(aws);
    }
}
