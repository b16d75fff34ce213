package dev.athanor.query.common.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * The JSON-body side of {@link TextParamsFilter}: a string field holding U+0000 (valid JSON,
 * refused by PostgreSQL's text) is a mapping error, so it becomes a 400 naming the body field
 * (check assertions, export selections) instead of an internal error.
 */
@Singleton
public class NulRefusingStrings implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("nul-refusing-strings").addDeserializer(String.class, new Deserializer()));
    }

    private static final class Deserializer extends StringDeserializer {

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = super.deserialize(p, ctxt);
            if (value != null && value.indexOf('\0') >= 0) {
                throw ctxt.weirdStringException("(not shown)", String.class,
                        "contains a NUL character (U+0000), which no field may hold");
            }
            return value;
        }
    }
}
