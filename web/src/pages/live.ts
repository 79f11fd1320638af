// The live page: top-k hashtags of a sliding window, as a bar chart fed by /api/stream.
import { LiveStream, type TopHashtags } from '../api';
import { colorFor, echarts, onThemeChange, themeColors } from '../charts';
import { formatClock, formatCompact, formatInt, formatWindow } from '../format';
import { replaceParams, type Page, type Route } from '../router';
import { status } from '../status';

const WINDOWS = ['10s', '1m', '5m', '15m'];
const KS = ['10', '20', '50'];
const ROW_HEIGHT = 28;

/** What the browser test (tests/browser/) and curious users can poke at. */
export interface LiveDebug {
  topChart: echarts.ECharts;
  lastTop: TopHashtags | null;
  updates: number;
  /** The bars the chart shows now, top first, as read back from the chart. */
  bars(): { label: string; value: number }[];
}
declare global {
  interface Window {
    __hashlake?: LiveDebug;
  }
}

function segmented(label: string, values: string[], current: string, onPick: (v: string) => void) {
  const group = document.createElement('div');
  group.className = 'seg';
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', label);
  const caption = document.createElement('span');
  caption.className = 'seg-label';
  caption.textContent = label;
  group.appendChild(caption);
  for (const value of values) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = value;
    button.dataset.value = value;
    button.setAttribute('aria-pressed', String(value === current));
    button.addEventListener('click', () => {
      for (const b of group.querySelectorAll('button')) {
        b.setAttribute('aria-pressed', String(b === button));
      }
      onPick(value);
    });
    group.appendChild(button);
  }
  return group;
}

function kpi(label: string): { root: HTMLElement; value: HTMLElement; note: HTMLElement } {
  const root = document.createElement('div');
  root.className = 'kpi';
  root.innerHTML = '<div class="kpi-label"></div><div class="kpi-value">–</div><div class="kpi-note"></div>';
  (root.querySelector('.kpi-label') as HTMLElement).textContent = label;
  return {
    root,
    value: root.querySelector('.kpi-value') as HTMLElement,
    note: root.querySelector('.kpi-note') as HTMLElement,
  };
}

function mount(root: HTMLElement, route: Route): () => void {
  let windowParam = WINDOWS.includes(route.params.get('window') ?? '') ? route.params.get('window')! : '1m';
  let kParam = KS.includes(route.params.get('k') ?? '') ? route.params.get('k')! : '10';

  root.innerHTML = `
    <section class="page-head">
      <div>
        <h1>Top hashtags</h1>
        <p class="sub" id="live-sub">Waiting for the first update…</p>
      </div>
      <div class="controls" id="live-controls"></div>
    </section>
    <section class="kpis" id="live-kpis"></section>
    <section class="card">
      <div class="chart" id="top-chart" role="img" aria-label="Top hashtags bar chart"></div>
    </section>`;
  const sub = root.querySelector('#live-sub') as HTMLElement;
  const chartEl = root.querySelector('#top-chart') as HTMLElement;
  const kpiPosts = kpi('Posts in window');
  const kpiLeader = kpi('Leading hashtag');
  const kpiShare = kpi('Top-k mentions');
  const kpiWindow = kpi('Window');
  root.querySelector('#live-kpis')!.append(kpiPosts.root, kpiLeader.root, kpiShare.root, kpiWindow.root);

  const sizeChart = () => {
    chartEl.style.height = `${Math.max(360, Number(kParam) * ROW_HEIGHT + 56)}px`;
  };
  sizeChart();
  const chart = echarts.init(chartEl, undefined, { renderer: 'canvas' });
  const debug: LiveDebug = {
    topChart: chart,
    lastTop: null,
    updates: 0,
    bars() {
      const option = chart.getOption() as {
        yAxis: { data?: string[] }[];
        series: { data?: number[] }[];
      };
      const values = option.series[0].data ?? [];
      return (option.yAxis[0].data ?? []).map((label, i) => ({ label, value: Number(values[i]) }));
    },
  };
  window.__hashlake = debug;

  const applyTheme = () => {
    const c = themeColors();
    chart.setOption({
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      grid: { left: 8, right: 72, top: 36, bottom: 8, containLabel: true },
      toolbox: {
        right: 4,
        top: 0,
        iconStyle: { borderColor: c.muted },
        feature: {
          saveAsImage: {
            title: 'Save as PNG',
            name: 'hashlake-top-hashtags',
            type: 'png',
            pixelRatio: 2,
            backgroundColor: c.card,
          },
        },
      },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v: unknown) => formatInt(Number(v)),
      },
      xAxis: {
        type: 'value',
        position: 'top',
        splitLine: { lineStyle: { color: c.grid, type: 'dashed' } },
        axisLabel: { color: c.muted, formatter: (v: number) => formatCompact(v) },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        axisTick: { show: false },
        axisLine: { show: false },
        axisLabel: { color: c.fg, fontSize: 13, fontWeight: 500 },
      },
      series: [
        {
          id: 'top',
          type: 'bar',
          barMaxWidth: 22,
          barCategoryGap: '28%',
          itemStyle: {
            borderRadius: [0, 6, 6, 0],
            color: (p: { name: string }) => colorFor(p.name, c.palette),
          },
          label: {
            show: true,
            position: 'right',
            color: c.fg,
            valueAnimation: true,
            formatter: (p: { value: unknown }) => formatInt(Number(p.value)),
          },
        },
      ],
      animationDuration: 500,
      animationDurationUpdate: 600,
      animationEasing: 'cubicOut',
      animationEasingUpdate: 'cubicOut',
    });
  };
  applyTheme();

  // The server's order is the ranking. Bars keep their slot (rank) and animate their
  // length; a hashtag changing rank swaps labels. (ECharts' realtimeSort was tried: with a
  // category set that changes every second it leaves bars unsorted mid-animation.)
  const resetBars = () => {
    chart.setOption({ yAxis: { data: [] }, series: [{ id: 'top', data: [] }] });
  };
  const render = (top: TopHashtags) => {
    debug.lastTop = top;
    debug.updates += 1;
    chart.setOption({
      yAxis: { data: top.top.map((t) => `#${t.hashtag}`) },
      series: [{ id: 'top', data: top.top.map((t) => t.count) }],
    });
    const start = new Date(top.window_start);
    const end = new Date(top.window_end);
    const mentions = top.top.reduce((sum, t) => sum + t.count, 0);
    sub.textContent = `Last ${formatWindow(top.window_seconds)} · ${formatInt(top.posts)} posts · ` +
      `updated every second`;
    kpiPosts.value.textContent = formatCompact(top.posts);
    kpiPosts.note.textContent = `${formatCompact(top.posts / Math.max(1, top.window_seconds))} per second`;
    const leader = top.top[0];
    kpiLeader.value.textContent = leader ? `#${leader.hashtag}` : '–';
    kpiLeader.note.textContent = leader ? `${formatInt(leader.count)} mentions` : 'no hashtags yet';
    kpiShare.value.textContent = formatCompact(mentions);
    kpiShare.note.textContent = `across the top ${top.top.length}`;
    kpiWindow.value.textContent = formatWindow(top.window_seconds);
    kpiWindow.note.textContent = `${formatClock(start)} – ${formatClock(end)}`;
    status.touch();
  };

  let stream: LiveStream | null = null;
  const connect = () => {
    stream?.close();
    resetBars();
    replaceParams({ window: windowParam, k: kParam });
    stream = new LiveStream(
      { window: windowParam, k: kParam },
      { top: render, health: (h) => status.health(h), state: (s, d) => status.setState(s, d) },
    );
  };
  const controls = root.querySelector('#live-controls')!;
  controls.append(
    segmented('window', WINDOWS, windowParam, (v) => {
      windowParam = v;
      connect();
    }),
    segmented('top', KS, kParam, (v) => {
      kParam = v;
      sizeChart();
      chart.resize();
      connect();
    }),
  );
  connect();

  const onResize = () => chart.resize();
  window.addEventListener('resize', onResize);
  const offTheme = onThemeChange(applyTheme);
  return () => {
    stream?.close();
    window.removeEventListener('resize', onResize);
    offTheme();
    chart.dispose();
    if (window.__hashlake === debug) delete window.__hashlake;
  };
}

export const livePage: Page = { path: '/live', title: 'Live', mount };
