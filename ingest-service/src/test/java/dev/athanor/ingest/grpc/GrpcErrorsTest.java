package dev.athanor.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.ingest.catalog.InvalidInputException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class GrpcErrorsTest {

    @Test
    void internalDetailsStayInTheLogAndClientsGetAnIncidentId() {
        StatusRuntimeException sql = GrpcErrors.toStatus(new CompletionException(
                new SQLException("FATAL: password authentication failed for user \"athanor\"")));
        assertThat(sql.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(sql.getStatus().getDescription()).contains("index database is unavailable")
                .containsPattern("incident [0-9a-f]{8}").doesNotContain("password").doesNotContain("athanor\"");

        StatusRuntimeException io = GrpcErrors.toStatus(new IOException("/data/hot/secret/run/segment: No space left"));
        assertThat(io.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(io.getStatus().getDescription()).doesNotContain("/data/hot").containsPattern("incident [0-9a-f]{8}");

        StatusRuntimeException other = GrpcErrors.toStatus(new IllegalStateException("at com.example.Internal"));
        assertThat(other.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(other.getStatus().getDescription()).doesNotContain("com.example");
    }

    @Test
    void badInputKeepsItsMessageNamingTheField() {
        StatusRuntimeException bad = GrpcErrors.toStatus(new InvalidInputException("batch.run_path", "must not contain '..'"));
        assertThat(bad.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(bad.getStatus().getDescription()).contains("batch.run_path");
    }
}
