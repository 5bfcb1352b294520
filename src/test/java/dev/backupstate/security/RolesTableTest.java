package dev.backupstate.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backupstate.model.OperationRoles;
import dev.backupstate.model.Request;
import dev.backupstate.model.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The roles table is written twice, in OperationRoles and in README "Security": the two must agree. */
class RolesTableTest {

    @Test
    void should_give_every_request_kind_a_role() {
        for (Class<?> kind : Request.class.getPermittedSubclasses()) {
            assertThat(OperationRoles.table()).as(kind.getSimpleName()).containsKey(kind.asSubclass(Request.class));
        }
    }

    @Test
    void should_match_the_roles_table_of_the_readme() throws IOException {
        // given: README's table, operation -> role
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("| operation | role |"), readme.indexOf("The table is `OperationRoles.java`"));
        Map<String, String> documented = new HashMap<>();
        section.lines().skip(2).filter(line -> line.startsWith("| ")).forEach(line -> {
            String[] cells = line.split("\\|");
            String role = cells[2].trim();
            Arrays.stream(cells[1].split(",")).map(String::trim).map(op -> op.replaceAll(" .*", ""))
                    .filter(op -> op.matches("[A-Z][A-Za-z]+")).forEach(op -> documented.put(op, role));
        });

        // then: each operation of the code has the README's role, and the README names no other
        Map<String, String> coded = new HashMap<>();
        OperationRoles.table().forEach((kind, role) -> coded.put(kind.getSimpleName(),
                role == Role.ENGINE ? "the engine only" : role.label()));
        assertThat(documented).isEqualTo(coded);
    }
}
