// How upstream printers render recurring values in cells: label maps and selectors, container names and
// images, access modes, lists cut at three entries ("a,b,c + 2 more..."), optional booleans.

import { labelSelectorAsSelector, type LabelSelector } from '../../apimachinery/labels/label-selector.js';

/** upstream labels.FormatLabels: `a=b,c=d` with keys sorted, "<none>" when empty. */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/**
 * upstream metav1.FormatLabelSelector: the selector's string form (`app=web,tier in (a,b)`), "<none>" when
 * it selects everything or nothing, "<error>" when it cannot be parsed.
 */
export function formatLabelSelector(selector: LabelSelector | null | undefined): string {
  let text: string;
  try {
    text = labelSelectorAsSelector(selector).toString();
  } catch {
    return '<error>';
  }
  return text === '' ? '<none>' : text;
}

/** The selector string as the Deployment printer shows it: "" for empty, "<invalid>" when unparsable. */
export function labelSelectorString(selector: LabelSelector | null | undefined): string {
  try {
    return labelSelectorAsSelector(selector).toString();
  } catch {
    return '<invalid>';
  }
}

interface NamedImage {
  name?: string;
  image?: string;
}

/** upstream layoutContainerCells: container names and images, each comma-joined in spec order. */
export function containerCells(containers: readonly NamedImage[] | undefined): [names: string, images: string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

const accessModeAbbreviations: ReadonlyArray<[string, string]> = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** upstream GetAccessModesAsString: `RWO,ROX,RWX,RWOP` in that fixed order, duplicates ignored. */
export function formatAccessModes(modes: readonly string[] | undefined): string {
  const present = new Set(modes ?? []);
  return accessModeAbbreviations.filter(([mode]) => present.has(mode)).map(([, short]) => short).join(',');
}

/**
 * upstream listWithMoreString: the first `max` entries joined by commas, then " + N more..." for the
 * rest; "<unset>" for an empty list.
 */
export function listWithMore(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).join(',');
  if (items.length > max) return `${shown} + ${items.length - max} more...`;
  return shown === '' ? '<unset>' : shown;
}

/** upstream printBoolPtr: "True", "False", or "<unset>" when absent. */
export function formatOptionalBool(value: boolean | undefined | null): string {
  if (value === undefined || value === null) return '<unset>';
  return value ? 'True' : 'False';
}

/** An IntOrString as upstream's String(): numbers in decimal, strings unchanged. */
export function intOrString(value: number | string): string {
  return typeof value === 'number' ? String(value) : value;
}
