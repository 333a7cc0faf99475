package io.herdctl.audit.rest;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.herdctl.audit.messaging.JobOutputListener;
import io.herdctl.audit.messaging.ProxyLogListener;
import io.herdctl.audit.service.AuditRecord;

/** Ready once the index is read back from the files, and while lines are being recorded (not stalled on a failure). */
@Readiness
@ApplicationScoped
public class AuditReadiness implements HealthCheck {

    private final AuditRecord record;
    private final JobOutputListener output;
    private final ProxyLogListener egress;

    public AuditReadiness(AuditRecord record, JobOutputListener output, ProxyLogListener egress) {
        this.record = record;
        this.output = output;
        this.egress = egress;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("job-record")
                .status(record.indexed() && !output.stalled())
                .withData("jobs", record.index().size())
                .withData("alerts", record.alerts().size())
                .withData("writing", output.stalled() ? "stalled: the disk or the broker fails; retrying" : "ok")
                .withData("egress", egress.state())
                .build();
    }
}
