// A refresh repeated at a modest rate: run at once, then again `ms` after the last run finished
// (never two at once), paused while the tab is hidden (nobody looks, so nothing is asked of the
// server or its upstreams) and run at once when the tab shows again. stop() ends it for good.
export function every(ms, refresh) {
  let timer = null;
  let running = false;
  let again = false;
  let stopped = false;

  async function tick() {
    clearTimeout(timer);
    timer = null;
    if (stopped || document.hidden) return;
    if (running) {
      again = true; // asked for while one runs: once more right after it, with what changed since
      return;
    }
    running = true;
    try {
      await refresh();
    } catch (e) {
      // each refresh shows its own failures; the next run tries again
    } finally {
      running = false;
    }
    if (stopped || document.hidden) return;
    if (again) {
      again = false;
      tick();
    } else {
      timer = setTimeout(tick, ms);
    }
  }

  function onVisibility() {
    if (document.hidden) {
      clearTimeout(timer);
      timer = null;
    } else if (!timer && !running) {
      tick();
    }
  }

  document.addEventListener('visibilitychange', onVisibility);
  queueMicrotask(tick);
  return {
    /** Runs the refresh now (or right after the one under way), then waits `ms` again. */
    now: tick,
    stop() {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
