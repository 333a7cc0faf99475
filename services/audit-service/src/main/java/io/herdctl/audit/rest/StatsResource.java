package io.herdctl.audit.rest;

import java.time.LocalDate;
import java.time.ZoneOffset;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.herdctl.audit.domain.DailyStats;
import io.herdctl.audit.service.AuditRecord;
import io.smallrye.common.annotation.Blocking;

/**
 * The figures behind the dashboard's charts for the last {@code days} UTC days,
 * today included. They come from the index and the alerts in memory, never from
 * the files, so the answer stays cheap however large the record grows.
 */
@Path("/api/stats")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class StatsResource {

    public static final int DEFAULT_DAYS = 14;
    public static final int MAX_DAYS = 90;

    private final AuditRecord record;

    public StatsResource(AuditRecord record) {
        this.record = record;
    }

    @GET
    public DailyStats stats(@QueryParam("days") String days) {
        int n = Params.range("days", days, DEFAULT_DAYS, 1, MAX_DAYS);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return DailyStats.of(record.index(), record.alerts(), today.minusDays(n - 1L), today);
    }
}
