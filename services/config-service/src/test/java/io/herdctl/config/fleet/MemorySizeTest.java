package io.herdctl.config.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemorySizeTest {

    @ParameterizedTest
    @CsvSource({"2g,2147483648", "512m,536870912", "1024k,1048576", "2048,2048", "1.5g,1610612736", "1 G,1073741824",
            "1t,1099511627776", "2gb,-1", "lots,-1", "'',-1", "-1g,-1"})
    void parsesPowersOf1024(String input, long bytes) {
        assertEquals(bytes, MemorySize.parseBytes(input));
    }
}
