package dev.backupstate.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backupstate.testing.RestClient;
import dev.backupstate.testing.TestEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console (issue 15) end to end in Debian's headless Chromium, driven by Selenium through Debian's
 * chromedriver (nothing downloaded), against a running sandbox engine: sign in, the overview's counts
 * against the API's, the grid following a cluster going down without a reload, a refused delete with
 * its reason and rule, a dry run then a confirmed delete, and a non-admin seeing only their own backups.
 * A screenshot of each page is written to target/console-screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final String ADMIN = "sandbox-admin-token";
    private static final String DEV = "sandbox-dev-token";
    private static final Path SHOTS = Path.of("target", "console-screenshots");

    private Path work;
    private TestEngine engine;
    private RestClient rest;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("console-it");
        engine = TestEngine.start(work, Map.of("bse.mode", "Federated", "bse.sandbox.enabled", "true",
                "bse.outbox.poll-millis", "100", "bse.clusters.follow-period-millis", "200"));
        rest = new RestClient(engine.api());
        await().atMost(Duration.ofSeconds(30)).until(() -> "Valid".equals(
                RestClient.json(rest.get(ADMIN, "/resources/backup-locations/sandbox")).path("state").asText()));
        // a third cluster and a second location, linked to two of them: a grid with more to see
        String north = rest.get(ADMIN, "/sandbox/clusters/sandbox-north/kubeconfig").body();
        assertThat(rest.post(ADMIN, "{\"kind\": \"AddCluster\", \"metadata\": {\"requestId\": \"add-north\"}, \"spec\": {\"name\": \"sandbox-north\", "
                + "\"kubeconfig\": " + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(north) + "}}").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> "Active".equals(
                RestClient.json(rest.get(ADMIN, "/resources/clusters/sandbox-north")).path("state").asText()));
        rest.post(ADMIN, "kind: CreateBackupLocation\nmetadata: {requestId: team-b}\nspec: {name: team-b, endpoint: \""
                + RestClient.json(rest.get(ADMIN, "/resources/backup-locations/sandbox")).at("/bucket/endpoint").asText()
                + "\", bucket: sandbox-backups, prefix: team-b, credentials: sandbox-credentials}\n");
        for (String cluster : List.of("sandbox-north", "sandbox-west")) {
            rest.post(ADMIN, "kind: LinkClusterToLocation\nmetadata: {requestId: link-" + cluster + "}\nspec: {location: team-b, cluster: " + cluster + "}\n");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> "Valid".equals(
                RestClient.json(rest.get(ADMIN, "/resources/connections/team-b:sandbox-north")).path("state").asText()));
        for (String[] backup : new String[][] {{ADMIN, "orders-1"}, {ADMIN, "orders-2"}, {DEV, "dev-own"}}) {
            HttpResponse<String> created = rest.post(backup[0], """
                    kind: CreateBackup
                    metadata: {requestId: create-%1$s}
                    spec: {name: %1$s, cluster: sandbox-east, location: sandbox, namespaces: [shop]}
                    """.formatted(backup[1]));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> RestClient.json(rest.get(ADMIN, "/resources/backups?state=Success"))
                .path("items").size() == 3);
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getenv().getOrDefault("BSE_TEST_CHROMIUM", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--disable-gpu");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getenv().getOrDefault("BSE_TEST_CHROMEDRIVER", "/usr/bin/chromedriver")).toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        // pages re-render their data every two seconds: an element read during a refresh is looked up again
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private String console() {
        return "http://127.0.0.1:" + engine.restPort + "/console/";
    }

    private void signIn(String token) {
        browser.get(console());
        browser.manage().deleteAllCookies();
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        WebElement field = wait.until(driver -> driver.findElement(By.id("token")));
        field.sendKeys(token);
        click(By.id("sign-in-button"));
        wait.until(driver -> !driver.findElement(By.id("who")).getText().isEmpty());
    }

    private void open(String hash) {
        browser.get(console() + hash);
        wait.until(driver -> !driver.findElements(By.id("data")).isEmpty() && !driver.findElement(By.id("data")).getText().isEmpty());
    }

    /** An element's text, read again if the page's refresh replaced it meanwhile. */
    private String text(By by) {
        return wait.until(driver -> driver.findElement(by).getText());
    }

    private void click(By by) {
        wait.until(driver -> {
            driver.findElement(by).click();
            return true;
        });
    }

    private String attribute(By by, String name) {
        return wait.until(driver -> String.valueOf(driver.findElement(by).getAttribute(name)));
    }

    private void screenshot(String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static HttpResponse<String> plainGet(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void should_sign_in_and_show_the_matrix_the_api_shows() throws Exception {
        // when
        signIn(ADMIN);
        open("#/overview");
        try {
            wait.until(driver -> !driver.findElements(By.cssSelector("#matrix a[data-count]")).isEmpty());
        } catch (RuntimeException e) {
            throw new AssertionError("the overview showed no matrix: " + text(By.id("main")), e);
        }

        // then: the user, and each count as /matrix answers it, each a link to its filtered list
        assertThat(text(By.id("who"))).contains("admin", "Federated");
        JsonNode matrix = RestClient.json(rest.get(ADMIN, "/matrix")).path("resources");
        Map<String, String> shown = wait.until(driver -> {
            Map<String, String> links = new HashMap<>();
            for (WebElement link : driver.findElements(By.cssSelector("#matrix a[data-count]"))) {
                String kind = link.findElement(By.xpath("ancestor::tr")).getAttribute("data-kind");
                links.put(kind + "/" + link.getAttribute("data-state"), link.getAttribute("data-count"));
                assertThat(link.getAttribute("href")).contains("#/list/" + kind);
            }
            return links;
        });
        Map<String, String> expected = new HashMap<>();
        matrix.fields().forEachRemaining(kind -> kind.getValue().fields().forEachRemaining(
                state -> expected.put(kind.getKey() + "/" + state.getKey(), state.getValue().asText())));
        assertThat(shown).isEqualTo(expected).containsEntry("backups/Success", "3");
        assertThat(text(By.id("alerts"))).as("the preload's sandbox-west connection is not an alert of a location")
                .doesNotContain("Location sandbox is Invalid");
        screenshot("overview");
    }

    @Test
    @Order(2)
    void should_show_a_connection_going_invalid_in_the_grid_without_a_reload() throws Exception {
        // given: the grid, and a mark on the page that a reload would wipe
        signIn(ADMIN);
        open("#/grid");
        By east = By.cssSelector("#grid tr[data-cluster='sandbox-east'] td[data-location='sandbox']");
        By west = By.cssSelector("#grid tr[data-cluster='sandbox-west'] td[data-location='sandbox']");
        wait.until(driver -> "Valid".equals(driver.findElement(east).getAttribute("data-state")));
        assertThat(attribute(west, "data-state")).isEqualTo("Invalid");
        assertThat(attribute(west, "title")).isEqualTo("access key unknown to the endpoint at step list");
        assertThat(attribute(east, "class")).contains("eligible");
        ((JavascriptExecutor) browser).executeScript("window.bseMark = 'not reloaded'");
        screenshot("grid");

        // when: sandbox-east goes down
        rest.post(ADMIN, "/sandbox/clusters/sandbox-east/down", HttpRequest.BodyPublishers.noBody());

        // then: its cell turns Invalid, no longer eligible, and the page was not reloaded
        wait.until(driver -> "Invalid".equals(driver.findElement(east).getAttribute("data-state")));
        assertThat(attribute(east, "class")).doesNotContain("eligible");
        assertThat(((JavascriptExecutor) browser).executeScript("return window.bseMark")).isEqualTo("not reloaded");
        screenshot("grid-east-down");
    }

    @Test
    @Order(3)
    void should_show_why_a_delete_is_refused_then_dry_run_and_confirm_a_delete() throws Exception {
        // given: sandbox-east down (the test before), the backup's page
        signIn(ADMIN);
        open("#/backup/orders-1");
        wait.until(driver -> driver.findElement(By.id("deletability")).getText().startsWith("No"));
        assertThat(text(By.id("deletability")))
                .contains("NO_ELIGIBLE_CLUSTER_FORCE_REQUIRED", "A Federated delete needs an eligible cluster");

        // when: Delete is pressed: the dry run shows the refusal, its reason and rule, and offers no confirmation
        click(By.id("delete"));
        WebElement refused = wait.until(driver -> driver.findElement(By.id("dry-run")));
        assertThat(refused.findElement(By.id("reason")).getText()).isEqualTo("NO_ELIGIBLE_CLUSTER_FORCE_REQUIRED");
        assertThat(refused.findElement(By.id("rule")).getText()).isEqualTo("A Federated delete needs an eligible cluster");
        assertThat(refused.findElements(By.id("confirm"))).isEmpty();
        screenshot("backup-refused");
        click(By.id("cancel"));
        // the rules would take a force delete now (no cluster can delete the data): its button is offered
        wait.until(driver -> !driver.findElements(By.id("force-delete")).isEmpty());

        // and when the cluster is back, Delete shows what would happen, and Confirm sends it
        rest.post(ADMIN, "/sandbox/clusters/sandbox-east/up", HttpRequest.BodyPublishers.noBody());
        wait.until(driver -> driver.findElement(By.id("deletability")).getText().startsWith("Yes, by cluster sandbox-east"));
        wait.until(driver -> driver.findElements(By.id("force-delete")).isEmpty());
        click(By.id("delete"));
        WebElement proposed = wait.until(driver -> driver.findElement(By.id("dry-run")));
        assertThat(proposed.getText()).contains("it would be accepted", "backups/orders-1: Success -> Deleting");
        assertThat(RestClient.json(rest.get(ADMIN, "/resources/backups/orders-1")).path("state").asText())
                .as("the dry run changed nothing").isEqualTo("Success");
        screenshot("backup-dry-run");
        proposed.findElement(By.id("confirm")).click();

        // then: accepted, and the backup is deleted
        wait.until(driver -> !driver.findElements(By.id("gone")).isEmpty()
                || driver.findElements(By.cssSelector("[data-field=state]")).stream().anyMatch(e -> e.getText().equals("Deleting")));
        await().atMost(Duration.ofSeconds(30)).until(() -> rest.get(ADMIN, "/resources/backups/orders-1").statusCode() == 404);
        wait.until(driver -> !driver.findElements(By.id("gone")).isEmpty());
    }

    @Test
    @Order(4)
    void should_show_a_non_admin_only_their_own_backups() throws Exception {
        // when
        signIn(DEV);
        open("#/list/backups");
        wait.until(driver -> !driver.findElements(By.cssSelector("#list tr[data-name]")).isEmpty());

        // then: dev's backup only; another's backup page says it is not there
        List<String> names = wait.until(driver -> driver.findElements(By.cssSelector("#list tr[data-name]")).stream()
                .map(e -> e.getAttribute("data-name")).toList());
        assertThat(names).containsExactly("dev-own");
        screenshot("backups-as-dev");
        open("#/backup/orders-2");
        wait.until(driver -> !driver.findElements(By.id("gone")).isEmpty());
        assertThat(text(By.id("gone"))).contains("not yours to see");
    }

    @Test
    @Order(5)
    @SuppressWarnings("unchecked")
    void should_show_schedules_rules_and_lists_and_keep_to_its_own_files() throws Exception {
        // given: a schedule
        rest.post(ADMIN, "kind: CreateSchedulePolicy\nmetadata: {requestId: p-1}\n"
                + "spec: {name: nightly, type: Daily, time: \"02:00\", retain: 7, timeZone: Europe/Berlin}\n");
        rest.post(ADMIN, "kind: CreateSchedule\nmetadata: {requestId: s-1}\n"
                + "spec: {name: shop-nightly, cluster: sandbox-east, location: sandbox, policy: nightly, namespaces: [shop]}\n");
        signIn(ADMIN);

        // then: its next runs in its zone, and Suspend suspends it
        open("#/schedules");
        wait.until(driver -> driver.findElement(By.id("data")).getText().contains("Europe/Berlin"));
        screenshot("schedules");
        click(By.cssSelector("#schedules tr[data-name='shop-nightly'] button.suspend"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "Suspended".equals(
                RestClient.json(rest.get(ADMIN, "/resources/schedules/shop-nightly")).path("state").asText()));
        wait.until(driver -> !driver.findElements(By.cssSelector("#schedules tr[data-name='shop-nightly'] button.resume")).isEmpty());

        // and the rules with file and line, the locations list
        open("#/rules");
        wait.until(driver -> !driver.findElements(By.id("rules")).isEmpty());
        assertThat(text(By.id("generation"))).isEqualTo("1");
        assertThat(text(By.id("rules"))).contains("backups.drl:", "A Federated delete needs an eligible cluster");
        screenshot("rules");
        open("#/list/connections?state=Invalid");
        wait.until(driver -> !driver.findElements(By.cssSelector("#list tr[data-name]")).isEmpty());
        assertThat(text(By.id("list"))).contains("sandbox-west", "access key unknown");
        screenshot("connections-invalid");

        // and data is put in the page as text: markup in it stays text (the page's own helper, in the page)
        Object built = ((JavascriptExecutor) browser).executeScript(
                "const cell = el('td', {title: '\"><img src=x onerror=window.bsePwned=1>'}, '<img src=x onerror=window.bsePwned=1>', ['<b>x</b>']);"
                + "document.getElementById('data').append(cell);"
                + "return [cell.querySelectorAll('img,b').length, cell.textContent, String(window.bsePwned)];");
        assertThat((List<Object>) built).containsExactly(0L, "<img src=x onerror=window.bsePwned=1><b>x</b>", "undefined");

        // and at a phone's width the page does not scroll sideways (wide tables scroll inside it)
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(420, 900));
        open("#/overview");
        wait.until(driver -> !driver.findElements(By.id("matrix")).isEmpty());
        assertThat((Boolean) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth <= window.innerWidth + 1")).isTrue();
        screenshot("overview-narrow");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));

        // and the console serves its three files only, each forbidding inline script and framing
        HttpResponse<String> page = plainGet(console());
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'", "frame-ancestors 'none'");
        assertThat(page.body()).doesNotContain("<script>");
        for (String probe : List.of("../config/application.properties", "..%2f..%2fconfig%2fapplication.properties",
                "%2e%2e/%2e%2e/pom.xml", "console.js/../../../pom.xml", "WEB-INF/web.xml")) {
            HttpResponse<String> answer = plainGet(console() + probe);
            assertThat(answer.statusCode()).as(probe).isIn(400, 404);
            assertThat(answer.body()).as(probe).doesNotContain("bse.tokens", "<project");
        }
        assertThat(plainGet("http://127.0.0.1:" + engine.restPort + "/console").statusCode()).as("redirected to /console/").isIn(200, 302);
    }
}
