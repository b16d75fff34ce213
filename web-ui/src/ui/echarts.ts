// ECharts, loaded on first use (its own chunk).

export type ECharts = import('echarts/core').ECharts;

let loading: Promise<typeof import('./echarts-setup')> | null = null;

export function loadECharts(): Promise<typeof import('./echarts-setup')> {
  loading ??= import('./echarts-setup');
  return loading;
}
