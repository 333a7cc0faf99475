/*
 * The job page's behaviour. It is a file of its own because the Content-Security-Policy allows no inline script.
 *
 * Live output: the page arrives with the first lines of the log already rendered; this script follows the rest over
 * Server-Sent Events from /jobs/<id>/live, starting at the line after the last one shown. Each event carries a line
 * as the server rendered it (the same template as the page, everything escaped), so nothing here builds markup from
 * agent output. When the connection drops, the browser reconnects by itself and sends the last line number it has
 * (Last-Event-ID); the server goes on from there, so no line is missed or shown twice. The stream ends when the job
 * is over and its whole log has been sent. Without JavaScript, a <noscript> refresh reloads a running job's page.
 *
 * Cancel: a same-origin JSON POST carrying the page's CSRF token (from <meta name="herdctl-csrf">); the dashboard
 * refuses cross-site POSTs, non-JSON bodies and requests without the token. The button stays hidden without
 * JavaScript, since it could not work.
 */
(() => {
  'use strict';

  const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
  const output = document.getElementById('output');
  const statusBadge = document.getElementById('job-status');
  const liveState = document.getElementById('live-state');
  const button = document.getElementById('cancel-job');

  const setStatus = (status) => {
    if (!statusBadge || !status || status === 'unknown') {
      return;
    }
    statusBadge.textContent = status;
    statusBadge.className = `status ${status}`;
    if (TERMINAL.has(status) && button) {
      button.hidden = true;
    }
  };

  // Lands on #line-N when that line arrives later than the page (an alert's link into a long log).
  const revealTarget = () => {
    const target = window.location.hash.startsWith('#line-') && document.getElementById(window.location.hash.slice(1));
    if (target && !target.classList.contains('target')) {
      target.classList.add('target');
      target.scrollIntoView({ block: 'center' });
      return true;
    }
    return false;
  };

  if (output) {
    const jobId = output.dataset.jobId;
    const noOutput = document.getElementById('no-output');
    let targetShown = revealTarget();
    const nearBottom = () => window.innerHeight + window.scrollY >= document.body.scrollHeight - 80;

    const source = new EventSource(`/jobs/${encodeURIComponent(jobId)}/live?from=${Number(output.dataset.next) || 1}`);
    source.addEventListener('open', () => { liveState.textContent = 'live'; });
    source.addEventListener('line', (event) => {
      const { seq, html } = JSON.parse(event.data);
      const follow = nearBottom() && !window.location.hash;
      const existing = document.getElementById(`line-${seq}`);
      if (existing) {
        existing.outerHTML = html; // a late line replacing the mark of a missing one
      } else {
        output.insertAdjacentHTML('beforeend', html);
      }
      if (noOutput) {
        noOutput.hidden = true;
      }
      if (!targetShown) {
        targetShown = revealTarget();
      } else if (follow) {
        window.scrollTo(0, document.body.scrollHeight);
      }
    });
    source.addEventListener('alert', (event) => {
      const { seq, text } = JSON.parse(event.data);
      const line = document.getElementById(`line-${seq}`);
      if (line) {
        const note = document.createElement('div');
        note.className = 'alert';
        note.textContent = `⚠ ${text}`;
        line.classList.add('flagged');
        line.appendChild(note);
      }
    });
    source.addEventListener('status', (event) => setStatus(JSON.parse(event.data).status));
    source.addEventListener('end', (event) => {
      source.close();
      liveState.textContent = `complete, ${JSON.parse(event.data).lines} lines`;
    });
    source.addEventListener('error', () => {
      if (source.readyState !== EventSource.CLOSED) {
        liveState.textContent = 'reconnecting…';
      }
    });
  }

  if (button) {
    const note = document.getElementById('cancel-note');
    button.hidden = false;
    button.addEventListener('click', async () => {
      const jobId = button.dataset.jobId;
      const reason = window.prompt(`Cancel job ${jobId}? Reason (optional):`, '');
      if (reason === null) {
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
          note.textContent = 'cancel requested; the job stops when its runner has ended it';
          button.hidden = true;
          return;
        }
        const body = await response.json().catch(() => null);
        note.textContent = body?.error?.message || `cancel refused: HTTP ${response.status}`;
      } catch (error) {
        note.textContent = `cancel failed: ${error.message}`;
      }
      button.disabled = false;
    });
  }
})();
