/**
 * One chart of the statistics screen: a title, the bars drawn with chart.js, and beside
 * them the same figures as a table, which is the chart's text alternative (a canvas
 * says nothing to a screen reader) and lets staff read exact values at a glance.
 */
import { useEffect, useId, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, canDrawCharts } from './chart-setup';

export interface ChartRow {
  /** What the bar stands for, as the chart's axis shows it (short). */
  readonly label: string;
  /** The same, as the table shows it (may be longer). */
  readonly tableLabel?: string;
  readonly value: number;
}

export interface BarChartFigureProps {
  /** Names the figure (used in test ids and element ids). */
  readonly name: string;
  readonly title: string;
  readonly rows: readonly ChartRow[];
  /** The headings of the table's two columns. */
  readonly labelHeading: string;
  readonly valueHeading: string;
  /** Bars along the vertical axis, labels on the left: for long names. */
  readonly horizontal?: boolean;
  /** The language numbers are written in. */
  readonly locale: string;
  readonly formatValue: (value: number) => string;
  /** Under the title, when something about the figures needs saying. */
  readonly note?: string;
  /** Rows drawn in the chart (the table shows them all). */
  readonly chartLimit?: number;
}

const BAR_COLOUR = '#0a4d5c';
const GRID_COLOUR = '#c9d3da';

export function BarChartFigure({ name, title, rows, labelHeading, valueHeading, horizontal = false, locale, formatValue, note, chartLimit }: BarChartFigureProps) {
  const { t } = useTranslation('stats');
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const titleId = useId();
  const drawn = useMemo(() => (chartLimit === undefined ? rows : rows.slice(0, chartLimit)), [rows, chartLimit]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null || !canDrawCharts()) return;
    const countAxis = {
      beginAtZero: true,
      ticks: { precision: 0, callback: (value: string | number) => (typeof value === 'number' ? formatValue(value) : value) },
      grid: { color: GRID_COLOUR },
    };
    const labelAxis = { grid: { display: false }, ticks: { autoSkip: true } };
    const chart = new Chart(canvas, {
      type: 'bar',
      data: {
        labels: drawn.map((row) => row.label),
        datasets: [{ label: valueHeading, data: drawn.map((row) => row.value), backgroundColor: BAR_COLOUR, maxBarThickness: 48 }],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        locale,
        indexAxis: horizontal ? 'y' : 'x',
        scales: horizontal ? { x: countAxis, y: labelAxis } : { x: labelAxis, y: countAxis },
        plugins: {
          tooltip: { callbacks: { label: (item) => `${valueHeading}: ${formatValue(item.parsed[horizontal ? 'x' : 'y'] ?? 0)}` } },
        },
      },
    });
    return () => chart.destroy();
  }, [drawn, horizontal, locale, formatValue, valueHeading]);

  return (
    <figure className="stats-figure" aria-labelledby={titleId} data-testid={`chart-${name}`}>
      <figcaption id={titleId} className="stats-figure-title">
        {title}
      </figcaption>
      {note !== undefined && <p className="stats-figure-note">{note}</p>}
      {rows.length === 0 ? (
        <p className="stats-figure-empty">{t('charts.empty')}</p>
      ) : (
        <div className="stats-figure-body">
          <div className={`stats-chart${horizontal ? ' stats-chart--horizontal' : ''}`}>
            <canvas ref={canvasRef} role="img" aria-label={t('charts.alt', { title })} />
          </div>
          <div className="stats-table-wrap">
            <table className="stats-table">
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{labelHeading}</th>
                  <th scope="col">{valueHeading}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row, index) => (
                  <tr key={`${index}:${row.label}`}>
                    <th scope="row">{row.tableLabel ?? row.label}</th>
                    <td>{formatValue(row.value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </figure>
  );
}
