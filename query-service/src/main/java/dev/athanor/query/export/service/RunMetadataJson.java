package dev.athanor.query.export.service;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;

/** The fields of an exported run_metadata record, the same in JSON Lines and in CSV's value column. */
final class RunMetadataJson {

    private RunMetadataJson() {
    }

    static void fields(JsonGenerator json, String displayName, List<String> labels, String note, String color,
                       boolean pinned) throws IOException {
        json.writeStringField("display_name", displayName);
        json.writeArrayFieldStart("labels");
        for (String label : labels) {
            json.writeString(label);
        }
        json.writeEndArray();
        json.writeStringField("note", note);
        json.writeStringField("color", color);
        json.writeBooleanField("pinned", pinned);
    }
}
