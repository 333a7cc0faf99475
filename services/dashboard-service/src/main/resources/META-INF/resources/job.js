/*
 * The job page's behaviour. It is a file of its own because the Content-Security-Policy allows no inline script.
 *
 * A live job's page reloads itself every few seconds (a <noscript> meta refresh does the same without JavaScript).
 * The reload holds while the Cancel button is in use, so it never cuts off the question or the request. The button
 * stays hidden without JavaScript, since it could not work. The request is a same-origin JSON POST carrying the page's
 * CSRF token (from its <meta name="herdctl-csrf">): the dashboard refuses cross-site POSTs, non-JSON bodies and requests
 * without the token, so no other site can cancel a job through the browser.
 */
(() => {
  'use strict';

  const refreshSeconds = Number(document.body.dataset.refresh || 0);
  let reloadTimer = null;

  const scheduleReload = (seconds) => {
    if (refreshSeconds > 0 && reloadTimer === null) {
      reloadTimer = setTimeout(() => window.location.reload(), seconds * 1000);
    }
  };
  const holdReload = () => {
    clearTimeout(reloadTimer);
    reloadTimer = null;
  };

  const button = document.getElementById('cancel-job');
  if (button) {
    const note = document.getElementById('cancel-note');
    button.hidden = false;
    button.addEventListener('click', async () => {
      holdReload();
      const jobId = button.dataset.jobId;
      const reason = window.prompt(`Cancel job ${jobId}? Reason (optional):`, '');
      if (reason === null) {
        scheduleReload(refreshSeconds);
        return;
      }
      button.disabled = true;
      note.textContent = 'requesting cancel…';
      try {
        const response = await fetch(`/api/jobs/${encodeURIComponent(jobId)}/cancel`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json',
            'X-Herdctl-Csrf': document.querySelector('meta[name="herdctl-csrf"]')?.content || '',
          },
          body: JSON.stringify(reason.trim() ? { reason: reason.trim() } : {}),
        });
        if (response.status === 202) {
          window.location.reload();
          return;
        }
        const body = await response.json().catch(() => null);
        note.textContent = body?.error?.message || `cancel refused: HTTP ${response.status}`;
      } catch (error) {
        note.textContent = `cancel failed: ${error.message}`;
      }
      button.disabled = false;
      // Leave the message up for a while before the page shows the job's state again.
      scheduleReload(10);
    });
  }

  scheduleReload(refreshSeconds);
})();
