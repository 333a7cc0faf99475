package io.herdctl.config.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fleets shipped in examples/ load without errors or warnings. */
class ExampleFleetsTest {

    @ParameterizedTest
    @CsvSource({"demo,hello", "claude,reviewer"})
    void shippedExamplesLoadCleanly(String fleet, String agent) {
        LoadedFleet loaded = new FleetLoader(Map.of()).load(Path.of("../../examples", fleet));
        assertTrue(loaded.accepted(), () -> loaded.errors().toString());
        assertEquals(java.util.List.of(), loaded.warnings());
        assertEquals(agent, loaded.agents().get(0).qualifiedName());
        assertTrue(loaded.agents().get(0).docker().enabled());
    }
}
