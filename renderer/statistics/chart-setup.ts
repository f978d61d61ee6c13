/**
 * chart.js, registered with only what the statistics screen draws (bar charts on a
 * category and a linear scale, tooltips): the rest of the library is left out of the
 * bundle. Charts never animate: figures appear at once, for everyone, including people
 * who asked their system for reduced motion.
 */
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

// The screen's own type and colours (renderer/README.md): ink on white, at least 16 px.
Chart.defaults.font.family = "'Segoe UI', 'Noto Sans', 'DejaVu Sans', Ubuntu, Roboto, Arial, sans-serif";
Chart.defaults.font.size = 16;
Chart.defaults.color = '#14202e';
Chart.defaults.animation = false;

export { Chart };

/** Whether this page can draw on a canvas (a browser can; a test's simulated DOM cannot). */
export function canDrawCharts(): boolean {
  return typeof CanvasRenderingContext2D === 'function' && typeof ResizeObserver === 'function';
}
