package io.herdctl.config.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.herdctl.testsupport.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class ValidateResourceTest {

    private static byte[] zip(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (var e : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void validatesAZippedFleetWithoutItsDirectoriesPresent() throws IOException {
        byte[] archive = zip(Map.of(
                "myfleet/herdctl.yaml", "fleet: {name: up}\nagents:\n  - path: agents/a.yaml\n  - path: agents/b.yaml\n",
                "myfleet/agents/a.yaml", "name: a\nworking_directory: ../workspace\n",
                "myfleet/agents/b.yaml", "name: b\n"));
        given().contentType("application/zip").body(archive).post("/api/config/validate").then().statusCode(200)
                .body("valid", equalTo(true)).body("agents", hasItems("a", "b"));
    }

    @Test
    void reportsErrorsOfATarGzFleetWithTheirFiles(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("fleet/agents"));
        Files.writeString(dir.resolve("fleet/herdctl.yaml"), "agents:\n  - path: agents/a.yaml\n");
        Files.writeString(dir.resolve("fleet/agents/a.yaml"), "name: a\ndocker:\n  network: host\n");
        Process tar = new ProcessBuilder("tar", "-czf", dir.resolve("fleet.tgz").toString(), "-C", dir.toString(), "fleet")
                .start();
        tar.waitFor(10, TimeUnit.SECONDS);
        given().contentType("application/gzip").body(Files.readAllBytes(dir.resolve("fleet.tgz")))
                .post("/api/config/validate").then().statusCode(422)
                .body("valid", equalTo(false))
                .body("errors[0].file", equalTo("agents/a.yaml"))
                .body("errors[0].line", equalTo(3))
                .body("errors[0].path", equalTo("docker.network"));
    }

    @Test
    void refusesArchivesThatWriteOutsideTheirDirectory() throws IOException {
        given().contentType("application/zip").body(zip(Map.of("../../etc/evil.yaml", "x: 1")))
                .post("/api/config/validate").then().statusCode(400)
                .body("error.message", containsString("outside the archive's directory"));
        given().contentType("application/octet-stream").body("not an archive".getBytes(StandardCharsets.UTF_8))
                .post("/api/config/validate").then().statusCode(400).body("error.code", equalTo("BAD_ARCHIVE"));
    }

    @Test
    void validatesASingleAgentOrFleetFile() {
        given().contentType("application/yaml").body("name: solo\ndocker:\n  image: x\n".getBytes(StandardCharsets.UTF_8)).post("/api/config/validate")
                .then().statusCode(422).body("errors[0].path", equalTo("docker.image"))
                .body("errors[0].file", equalTo("agent.yaml"));
        given().contentType("text/yaml").body("version: 1\nfleet: {name: empty}\n".getBytes(StandardCharsets.UTF_8)).post("/api/config/validate")
                .then().statusCode(200).body("valid", equalTo(true));
        given().contentType("text/yaml").body("version: 1\n  bad: [\n".getBytes(StandardCharsets.UTF_8)).post("/api/config/validate")
                .then().statusCode(422).body("errors[0].message", containsString("Invalid YAML syntax at line"));
    }
}
