package dev.switchboard.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.store.Job;
import dev.switchboard.core.store.JobClaim;
import dev.switchboard.core.store.JobDraft;
import dev.switchboard.core.store.JobState;
import dev.switchboard.core.store.JobStore;
import dev.switchboard.core.store.StoreMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A complete of a job the writer claimed is answered from the job it knew, not from the row read back:
 * the answer must still be the row as stored, whatever happened to the job in between.
 */
final class SqliteJobCompleteTest {
    private static final byte[] RESULT = "{\"sent\":true}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private SqliteLogStore store;
    private JobStore jobs;

    @BeforeEach
    void open() {
        store = SqliteLogStore.open(dir, Clock.systemUTC(), Duration.ofHours(1), StoreMetrics.NONE);
        jobs = store.jobs();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aCompleteAnswersTheJobAsStored() {
        JobClaim withResult = submitAndClaim();
        JobClaim withoutResult = submitAndClaim();

        assertStored(jobs.complete(withResult.job().id(), withResult.lease(), "application/json", RESULT, now()));
        assertStored(jobs.complete(withoutResult.job().id(), withoutResult.lease(), null, null, now()));
    }

    @Test
    void aJobWithALargePayloadCompletesAsStored() {
        byte[] large = new byte[64 * 1024];
        jobs.submit(new JobDraft("mail", "application/octet-stream", large, 3, 30_000, 0, null), now());
        JobClaim c = jobs.claim("mail", 1, 30_000, now()).getFirst();

        Job done = jobs.complete(c.job().id(), c.lease(), "text/plain", RESULT, now());

        assertThat(done.payload()).hasSize(large.length);
        assertStored(done);
    }

    @Test
    void aCompleteAfterProgressAndACancelRequestAnswersTheJobAsStored() {
        JobClaim c = submitAndClaim();
        jobs.progress(c.job().id(), c.lease(), 40, "halfway", now());
        jobs.cancel(c.job().id(), now());

        Job done = jobs.complete(c.job().id(), c.lease(), "text/plain", RESULT, now());

        assertThat(done.cancelRequested()).isTrue();
        assertThat(done.progressMessage()).isEqualTo("halfway");
        assertStored(done);
    }

    @Test
    void aChangeTheWriterDidNotMakeIsReadBackNotGuessed() throws SQLException {
        JobClaim c = submitAndClaim();
        sql("UPDATE jobs SET progress_percent = 7, version = version + 1 WHERE id = '" + c.job().id() + "'");

        Job done = jobs.complete(c.job().id(), c.lease(), "text/plain", RESULT, now());

        assertThat(done.progressPercent()).isEqualTo(7);
        assertThat(done.version()).isEqualTo(c.job().version() + 2);
        assertStored(done);
    }

    @Test
    void aForeignLeaseIsRefusedAndTheHolderStillCompletes() {
        JobClaim c = submitAndClaim();

        assertThatThrownBy(() -> jobs.complete(c.job().id(), "not-the-lease", "text/plain", RESULT, now()))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LEASE_NOT_HELD));
        assertStored(jobs.complete(c.job().id(), c.lease(), "text/plain", RESULT, now()));
        assertThatThrownBy(() -> jobs.complete(c.job().id(), c.lease(), "text/plain", RESULT, now()))
                .as("a spent lease").isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LEASE_NOT_HELD));
    }

    private JobClaim submitAndClaim() {
        String id = jobs.submit(new JobDraft("mail", "application/json", "{}".getBytes(StandardCharsets.UTF_8), 3, 30_000, 0, null), now())
                .job().id();
        JobClaim c = jobs.claim("mail", 1, 30_000, now()).getFirst();
        assertThat(c.job().id()).isEqualTo(id);
        return c;
    }

    private void assertStored(Job answered) {
        assertThat(answered.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(answered).usingRecursiveComparison().isEqualTo(jobs.get(answered.id()));
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteLogStore.FILE_NAME));
             Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 5000");
            s.execute(statement);
        }
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
