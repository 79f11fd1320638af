// The header's live status: connection pill, posts/s, total posts, last update, banner.
import type { ConnectionState, Health } from './api';
import { formatClock, formatCompact, formatRate } from './format';

const byId = (id: string) => document.getElementById(id) as HTMLElement;

interface Sample {
  posts: number;
  uptime: number;
}

class StatusBar {
  private samples: Sample[] = [];
  private lastUpdate: Date | null = null;

  constructor() {
    window.setInterval(() => this.renderAge(), 1000);
  }

  setState(state: ConnectionState, detail?: string): void {
    const pill = byId('conn');
    pill.dataset.state = state;
    byId('conn-text').textContent = state;
    const banner = byId('banner');
    if (detail) {
      banner.textContent = detail;
      banner.hidden = false;
    } else if (state === 'live') {
      banner.hidden = true;
    }
  }

  health(health: Health): void {
    // posts/s over the last ~10 samples (seconds), from the server's monotonic uptime.
    const samples = this.samples;
    if (samples.length && health.uptime_seconds < samples[samples.length - 1].uptime) {
      samples.length = 0;  // the server restarted
    }
    samples.push({ posts: health.posts_ingested, uptime: health.uptime_seconds });
    if (samples.length > 10) samples.shift();
    const first = samples[0];
    const last = samples[samples.length - 1];
    const dt = last.uptime - first.uptime;
    byId('rate').textContent = dt > 0 ? formatRate((last.posts - first.posts) / dt) : '–';
    byId('total').textContent = formatCompact(health.posts_ingested);
    byId('total').title = `${health.posts_ingested.toLocaleString('en-US')} accepted, ` +
      `${health.posts_rejected.toLocaleString('en-US')} rejected`;
    byId('conn').title = `pipeline: ${health.status}, lag ${(health.lag_ms / 1000).toFixed(1)} s`;
  }

  touch(): void {
    this.lastUpdate = new Date();
    this.renderAge();
  }

  private renderAge(): void {
    if (!this.lastUpdate) return;
    const age = Math.round((Date.now() - this.lastUpdate.getTime()) / 1000);
    const el = byId('updated');
    el.textContent = formatClock(this.lastUpdate);
    el.title = `${age} s ago`;
    el.classList.toggle('stale', age > 5);
  }
}

export const status = new StatusBar();
