// The option and field-config types of each panel plugin the dashboards use, from @grafana/schema.
// Grafana's generated types use TypeScript enums; dashboard JSON holds their string values, so Loose<T> turns
// every string enum into the union of its values and leaves everything else as strict as Grafana declares it.
import type { AnnotationQuery, Dashboard, DataQuery, Panel } from '@grafana/schema';
import type * as XY from '@grafana/schema/dist/esm/raw/composable/xychart/panelcfg/x/XYChartPanelCfg_types.gen';
import type * as TS from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';
import type * as Stat from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type * as Table from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';
import type * as BarGauge from '@grafana/schema/dist/esm/raw/composable/bargauge/panelcfg/x/BarGaugePanelCfg_types.gen';

export type Loose<T> = T extends string
  ? `${T}`
  : T extends (infer U)[]
    ? Loose<U>[]
    : T extends object
      ? { [K in keyof T]: Loose<T[K]> }
      : T;

/**
 * An InfluxQL query as Grafana's InfluxDB plugin stores it (the plugin's own type is not in @grafana/schema).
 * The dashboards use raw queries only, so the query builder's fields are not allowed.
 */
export interface InfluxQuery extends DataQuery {
  query: string;
  rawQuery: true;
  resultFormat: 'time_series' | 'table';
  alias?: string;
}

/** An annotation query against InfluxDB: its text and tags come from the named columns. */
export interface InfluxAnnotationQuery extends DataQuery {
  query: string;
  rawQuery: true;
  fromAnnotations: true;
  textColumn: string;
  tagsColumn?: string;
}

// The veneer Panel ignores its options type parameter, so the options are typed here.
type Typed<O, F, Type extends string> = Loose<Omit<Panel<unknown, Partial<F>>, 'targets' | 'options'>>
  & { type: Type; options: Loose<Partial<O>>; targets: InfluxQuery[] };

export interface PanelTypes {
  xychart: Typed<XY.Options, XY.FieldConfig, 'xychart'>;
  timeseries: Typed<TS.Options, TS.FieldConfig, 'timeseries'>;
  stat: Typed<Stat.Options, Record<string, never>, 'stat'>;
  table: Typed<Table.Options, Table.FieldConfig, 'table'>;
  bargauge: Typed<BarGauge.Options, Record<string, never>, 'bargauge'>;
}

export type CheckedDashboard = Loose<Omit<Dashboard, 'annotations'>> & {
  annotations: { list: Loose<AnnotationQuery<InfluxAnnotationQuery>>[] };
};
