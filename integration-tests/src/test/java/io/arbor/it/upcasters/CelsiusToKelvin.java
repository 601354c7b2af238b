package io.arbor.it.upcasters;

import io.arbor.spi.Upcaster;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.math.BigDecimal;

/**
 * A Java upcaster as an application would deploy one (a CDI bean in a jar in the EAR's lib/):
 * {@value #TYPE} version 1 has {@code celsius}, version 2 has {@code kelvin}.
 */
@ApplicationScoped
public class CelsiusToKelvin implements Upcaster {
    public static final String TYPE = "ItTemperatureRead";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int fromVersion() {
        return 1;
    }

    @Override
    public JsonObject upcast(JsonObject data) {
        BigDecimal celsius = data.getJsonNumber("celsius").bigDecimalValue();
        return Json.createObjectBuilder(data)
                .remove("celsius")
                .add("kelvin", celsius.add(new BigDecimal("273.15")))
                .build();
    }
}
