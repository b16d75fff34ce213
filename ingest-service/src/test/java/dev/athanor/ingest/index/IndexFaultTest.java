package dev.athanor.ingest.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class IndexFaultTest {

    @Test
    void connectionAndResourceFaultsAreTransientDataRefusalsAreNot() {
        assertThat(IndexFault.of(new SQLException("gone", "08006")).transientFault()).isTrue();
        assertThat(IndexFault.of(new SQLException("disk full", "53100")).transientFault()).isTrue();
        assertThat(IndexFault.of(new SQLException("shutting down", "57P01")).transientFault()).isTrue();
        assertThat(IndexFault.of(new SQLException("index row size 2720 exceeds", "54000")).transientFault()).isFalse();
        assertThat(IndexFault.of(new SQLException("bad value", "22023")).transientFault()).isFalse();
        assertThat(IndexFault.of(new IOException("read failed")).transientFault()).isTrue();
    }

    @Test
    void aBatchFailureIsDescribedByItsCauseWithoutTheStatementOrItsValues() {
        BatchUpdateException batch = new BatchUpdateException(
                "Batch entry 0 INSERT INTO series (run_id, tag) VALUES (7, 'secret-tag') was aborted", "54000", new int[0]);
        batch.setNextException(new SQLException("index row size 2720 exceeds maximum", "54000"));
        IndexFault fault = IndexFault.of(new RuntimeException(batch));
        assertThat(fault.transientFault()).isFalse();
        assertThat(fault.description()).isEqualTo("SQLState 54000: index row size 2720 exceeds maximum");
        BatchUpdateException alone = new BatchUpdateException(
                "Batch entry 0 INSERT INTO series (run_id, tag) VALUES (7, 'secret-tag') was aborted", "54000", new int[0]);
        assertThat(IndexFault.of(alone).description()).doesNotContain("secret-tag").doesNotContain("INSERT");
    }
}
