// The ECharts pieces the app draws with, registered once (tree-shaken: only these are bundled).
import { use, init } from 'echarts/core';
import { ParallelChart, ScatterChart, LineChart, CustomChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, ParallelComponent, DataZoomComponent, LegendComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([ParallelChart, ScatterChart, LineChart, CustomChart, GridComponent, TooltipComponent, ParallelComponent,
  DataZoomComponent, LegendComponent, VisualMapComponent, CanvasRenderer]);

export { init };
