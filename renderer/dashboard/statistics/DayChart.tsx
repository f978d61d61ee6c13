/**
 * One figure per day: bars drawn with chart.js and, beside them, the same figures as a
 * table (the chart's text alternative, and where a hidden count is written as such: a
 * chart can only leave its bar out).
 */
import { useEffect, useId, useRef } from 'react';
import { Chart, canDrawCharts } from '../../statistics/chart-setup';
import { useDashboardTexts } from '../dashboard-i18n';
import type { DayFigure } from './hub-figures';

export interface DayChartRow {
  /** As the axis shows it: "Mon 3 Mar". */
  readonly label: string;
  /** As the table shows it: "3 March 2025". */
  readonly tableLabel: string;
  readonly figure: DayFigure;
}

export interface DayChartProps {
  /** Names the figure in test ids. */
  readonly name: string;
  readonly title: string;
  readonly rows: readonly DayChartRow[];
  readonly valueHeading: string;
  readonly locale: string;
  readonly formatValue: (value: number) => string;
}

const BAR_COLOUR = '#0a4d5c';
const GRID_COLOUR = '#c9d3da';

export function DayChart({ name, title, rows, valueHeading, locale, formatValue }: DayChartProps) {
  const { t } = useDashboardTexts();
  const titleId = useId();
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null || !canDrawCharts()) return;
    const chart = new Chart(canvas, {
      type: 'bar',
      data: {
        labels: rows.map((row) => row.label),
        datasets: [{ label: valueHeading, data: rows.map((row) => (row.figure.kind === 'value' ? row.figure.value : null)), backgroundColor: BAR_COLOUR, maxBarThickness: 40 }],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        locale,
        scales: {
          x: { grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0 } },
          y: { beginAtZero: true, grid: { color: GRID_COLOUR }, ticks: { precision: 0, callback: (value) => (typeof value === 'number' ? formatValue(value) : value) } },
        },
        plugins: { tooltip: { callbacks: { label: (item) => `${valueHeading}: ${formatValue(item.parsed.y ?? 0)}` } } },
      },
    });
    return () => chart.destroy();
  }, [rows, locale, formatValue, valueHeading]);

  const cell = (figure: DayFigure) => (figure.kind === 'value' ? formatValue(figure.value) : figure.kind === 'hidden' ? t('statistics.hidden') : t('statistics.noValue'));
  const empty = rows.every((row) => row.figure.kind === 'none' || (row.figure.kind === 'value' && row.figure.value === 0));

  return (
    <figure className="dash-figure" aria-labelledby={titleId} data-testid={`chart-${name}`}>
      <figcaption id={titleId} className="dash-figure-title">
        {title}
      </figcaption>
      {empty ? (
        <p>{t('statistics.empty')}</p>
      ) : (
        <div className="dash-figure-body">
          <div className="dash-chart">
            <canvas ref={canvasRef} role="img" aria-label={t('statistics.chartAlt', { title })} />
          </div>
          <div className="dash-table-wrap">
            <table className="dash-table">
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('statistics.dayColumn')}</th>
                  <th scope="col">{valueHeading}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.tableLabel} data-hidden={row.figure.kind === 'hidden' || undefined}>
                    <th scope="row">{row.tableLabel}</th>
                    <td>{cell(row.figure)}</td>
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
