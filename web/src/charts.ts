// ECharts, registered once with only the parts the pages use (keeps app.js small), and
// the colours that follow the page's light/dark theme.
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, ToolboxComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, ToolboxComponent, TooltipComponent, CanvasRenderer]);

export { echarts };

export interface ThemeColors {
  fg: string;
  muted: string;
  grid: string;
  card: string;
  palette: string[];
}

export function themeColors(): ThemeColors {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return {
    fg: v('--fg'),
    muted: v('--muted'),
    grid: v('--grid'),
    card: v('--card'),
    palette: v('--palette').split(',').map((c) => c.trim()).filter(Boolean),
  };
}

/** Calls `onChange` when the OS switches between light and dark. Returns an unsubscribe. */
export function onThemeChange(onChange: () => void): () => void {
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/** A stable colour per label, so a hashtag keeps its colour as it moves up and down. */
export function colorFor(label: string, palette: string[]): string {
  let h = 2166136261;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return palette[(h >>> 0) % palette.length];
}
