package io.arbor.cli;

import io.arbor.client.ArborClient;
import io.arbor.client.ScavengeJob;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.PrintWriter;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code arbor scavenge [--wait] [--job ID]}: asks for a scavenge of the caller's tenant (or shows
 * one job) and, with {@code --wait}, prints its progress until it ends (docs/lifecycle.md,
 * "Scavenging"). Exits 1 when the job failed.
 */
@Command(
        name = "scavenge",
        mixinStandardHelpOptions = true,
        description = {
            "Remove the events that stream lifecycle rules hide (retention, truncation, deletes)"
                    + " from the database, with their tags, snapshots and consumer-group rows: asks"
                    + " for a scavenge job of your tenant (an admin's call; a job already under way"
                    + " is answered instead of a new one) and prints it. Exit 1 when the job"
                    + " failed."
        })
final class ScavengeCommand implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--wait", description = "Print the job's progress until it ends")
    boolean await;

    @Option(
            names = "--job",
            paramLabel = "ID",
            description = "Show (or, with --wait, follow) this job instead of asking for one")
    UUID jobId;

    @Option(
            names = "--interval",
            paramLabel = "SECONDS",
            defaultValue = "1",
            description = "With --wait: seconds between progress lines (default: 1)")
    double interval;

    @Override
    public Integer call() throws InterruptedException {
        ArborClient client = common.client();
        ScavengeJob job = jobId == null ? client.requestScavenge() : client.scavengeJob(jobId);
        print(job);
        while (await && !job.finished()) {
            Thread.sleep(Math.max(50, (long) (interval * 1000)));
            ScavengeJob now = client.scavengeJob(job.jobId());
            if (!now.equals(job)) {
                print(now);
            }
            job = now;
        }
        return job.state().equals("failed") ? ArborCli.ANOMALY : 0;
    }

    private void print(ScavengeJob job) {
        PrintWriter out = common.out();
        if (common.json) {
            out.println(json(job));
        } else {
            out.println(
                    "job "
                            + job.jobId()
                            + " "
                            + job.state()
                            + ": "
                            + job.eventsRemoved()
                            + " events and "
                            + job.snapshotsRemoved()
                            + " snapshots removed, "
                            + job.streamsScanned()
                            + " streams scanned"
                            + (job.streamsRemaining() == null
                                    ? ""
                                    : ", " + job.streamsRemaining() + " to go")
                            + (job.failure() == null ? "" : " (" + job.failure() + ")"));
        }
        out.flush();
    }

    static JsonObject json(ScavengeJob job) {
        JsonObjectBuilder json =
                Json.createObjectBuilder()
                        .add("jobId", job.jobId().toString())
                        .add("state", job.state())
                        .add("requestedAt", job.requestedAt().toString());
        if (job.startedAt() == null) {
            json.addNull("startedAt");
        } else {
            json.add("startedAt", job.startedAt().toString());
        }
        if (job.finishedAt() == null) {
            json.addNull("finishedAt");
        } else {
            json.add("finishedAt", job.finishedAt().toString());
        }
        json.add("streamsScanned", job.streamsScanned());
        if (job.streamsRemaining() == null) {
            json.addNull("streamsRemaining");
        } else {
            json.add("streamsRemaining", job.streamsRemaining());
        }
        json.add("eventsRemoved", job.eventsRemoved())
                .add("snapshotsRemoved", job.snapshotsRemoved())
                .add("batches", job.batches());
        if (job.failure() == null) {
            json.addNull("failure");
        } else {
            json.add("failure", job.failure());
        }
        return json.build();
    }
}
