/** The benchmarks' one table layout: measure, figure (right-aligned), target, mark. */
export function textTable(cells: readonly (readonly string[])[]): string {
  const header = ['Measure', 'Figure', 'Target', 'Mark'];
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column]!.length)));
  const format = (line: readonly string[]) => line.map((cell, column) => (column === 1 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  return [format(header), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.map(format)].join('\n');
}
