// The parts of Chart.js the app uses, registered once. Imported lazily by
// charts.ts so Chart.js stays out of the first paint (and is tree-shaken).

import {
  CategoryScale,
  Chart,
  Colors,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  RadarController,
  RadialLinearScale,
  ScatterController,
  Tooltip,
} from 'chart.js';

Chart.register(
  RadarController,
  LineController,
  ScatterController,
  RadialLinearScale,
  LinearScale,
  CategoryScale,
  PointElement,
  LineElement,
  Filler,
  Tooltip,
  Legend,
  Colors,
);
Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
Chart.defaults.color = '#333';
Chart.defaults.animation = false;

export { Chart };
