{#- Staging tables are incremental by delivery. A run restages only the records of deliveries it
    has not seen in their current state (newly loaded, re-delivered, or with rows deleted by a
    purge: raw.deliveries.changed_at moves with every change). For those, the whole unit (a call,
    or an encounter with its details) is deleted and rebuilt from every raw row of the unit, so
    "the latest load wins" and deletions hold exactly as in a full refresh. Which deliveries a
    run saw is kept per model in operations.staged_deliveries, in the same transaction: a delivery
    committed during the run is simply taken at the next one. Every row written is stamped
    `staged_at`, every unit that disappeared is listed in operations.staging_removals, and for
    records with a day of activity (`date_column`) the days the restaged units had before are
    kept in operations.restaged_dates: the change feed the models downstream read
    (change_feed.sql). Patient records are also indexed on their linkage keys, which
    incremental linkage searches, and on their day, which the marts recompute; encounters on
    their call, whose changes int_visits follows. -#}
{% macro staging_incremental(entity, unit_column, date_column=none) %}
{%- set indexes = [{'columns': [unit_column]}, {'columns': ['delivery_id']}, {'columns': ['staged_at']}] -%}
{%- if entity in ('calls', 'encounters') -%}
{%- do indexes.extend([{'columns': ['nir_pseudonym']}, {'columns': ['traits_pseudonym']}]) -%}
{%- endif %}
{%- if entity == 'encounters' -%}
{%- do indexes.append({'columns': ['call_key']}) -%}
{%- endif %}
{%- if date_column -%}
{%- do indexes.append({'columns': [date_column]}) -%}
{%- endif %}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    indexes=indexes,
    pre_hook="{{ restage_changed_units('" ~ entity ~ "', '" ~ unit_column ~ "', "
             ~ ("'" ~ date_column ~ "'" if date_column else "none") ~ ") }}",
    post_hook=["{{ record_staged_deliveries() }}",
               "{{ record_removed_units('" ~ unit_column ~ "') }}",
               "{{ refresh_stamp_statistics() }}"],
) }}
{% endmacro %}

{#- The unit of a raw row, as the loader's index on raw tables writes it. -#}
{% macro staging_unit(entity) -%}
association_id || ':' || {{ 'call_id' if entity == 'calls' else 'encounter_id' }}
{%- endmacro %}

{% macro _unseen_deliveries() -%}{{ this.identifier }}__unseen_deliveries{%- endmacro %}
{% macro _restaged_units() -%}{{ this.identifier }}__restaged_units{%- endmacro %}

{% macro restage_changed_units(entity, unit_column, date_column=none) %}
create temporary table {{ _unseen_deliveries() }} on commit drop as
select deliveries.delivery_id, deliveries.changed_at
from {{ source('raw', 'deliveries') }} as deliveries
where not exists (
    select 1 from operations.staged_deliveries as seen
    where seen.model = '{{ this.identifier }}'
      and seen.delivery_id = deliveries.delivery_id
      and seen.changed_at = deliveries.changed_at
);
{%- if is_incremental() %}
create temporary table {{ _restaged_units() }} on commit drop as
select {{ staging_unit(entity) }} as unit
from {{ source('raw', entity) }}
where delivery_id in (select delivery_id from {{ _unseen_deliveries() }})
union
select {{ unit_column }} from {{ this }}
where delivery_id in (select delivery_id from {{ _unseen_deliveries() }});
analyze {{ _restaged_units() }};
{%- if date_column %}
insert into operations.restaged_dates (model, local_date, restaged_at)
select distinct '{{ this.identifier }}', {{ date_column }}, '{{ run_started_at.isoformat() }}'::timestamptz
from {{ this }}
where {{ unit_column }} in (select unit from {{ _restaged_units() }});
{%- endif %}
insert into operations.stamp_counts (model, stamp, row_count)
select '{{ this.identifier }}', staged_at, -count(*)
from {{ this }}
where {{ unit_column }} in (select unit from {{ _restaged_units() }})
  and exists (select 1 from operations.stamp_counts where model = '{{ this.identifier }}')
group by staged_at
on conflict (model, stamp) do update
set row_count = operations.stamp_counts.row_count + excluded.row_count;
delete from {{ this }}
where {{ unit_column }} in (select unit from {{ _restaged_units() }});
{%- endif %}
{% endmacro %}

{#- The planner's statistics of the staging stamp, exact and without ANALYZE. Every reader of
    the change feed asks how many rows are newer than its watermark (change_feed.sql); a
    histogram from before the run puts none of them there. ANALYZE after each run answered it
    but reads 30,000 random pages of tables of up to 400,000, 30-100 s each when the disk is
    cold (benchmarks/README.md). Instead operations.stamp_counts keeps the rows of each stamp
    (a run adds its own and subtracts those it deletes; a first build or a table not counted
    yet counts them all), and they become the column's statistics: every stamp a most common
    value with its exact frequency, and the table's row count. The other columns' statistics
    are left to autovacuum: they describe the history, which a day barely moves. -#}
{% macro refresh_stamp_statistics() %}
{%- set model = "'" ~ this.identifier ~ "'" -%}
{%- if is_incremental() %}
insert into operations.stamp_counts (model, stamp, row_count)
select {{ model }}, staged_at, count(*) from {{ this }}
where staged_at = '{{ run_started_at.isoformat() }}'::timestamptz
  and exists (select 1 from operations.stamp_counts where model = {{ model }})
group by staged_at
on conflict (model, stamp) do update
set row_count = operations.stamp_counts.row_count + excluded.row_count;
{%- else %}
delete from operations.stamp_counts where model = {{ model }};
{%- endif %}
insert into operations.stamp_counts (model, stamp, row_count)
select {{ model }}, staged_at, count(*) from {{ this }}
where not exists (select 1 from operations.stamp_counts where model = {{ model }})
group by staged_at;
delete from operations.stamp_counts where model = {{ model }} and row_count = 0;
select pg_restore_relation_stats(
    'schemaname', '{{ this.schema }}', 'relname', '{{ this.identifier }}',
    'relpages', (pg_relation_size('{{ this.schema }}.{{ this.identifier }}') / current_setting('block_size')::integer)::integer,
    'reltuples', coalesce(sum(row_count), 0)::real)
from operations.stamp_counts where model = {{ model }};
select pg_restore_attribute_stats(
    'schemaname', '{{ this.schema }}', 'relname', '{{ this.identifier }}',
    'attname', 'staged_at', 'inherited', false,
    'null_frac', 0::real, 'avg_width', 8, 'n_distinct', count(*)::real,
    'most_common_vals', array_agg(stamp order by row_count desc, stamp)::text,
    'most_common_freqs', array_agg(row_count::real / total order by row_count desc, stamp)::real[])
from (
    select stamp, row_count, sum(row_count) over () as total
    from operations.stamp_counts where model = {{ model }}
) as counts
having count(*) > 0
{% endmacro %}

{#- Only the rows of the restaged units (every raw row of each, whatever its delivery). -#}
{% macro restaged_rows_only(entity) -%}
{%- if is_incremental() %}
where {{ staging_unit(entity) }} in (select unit from {{ _restaged_units() }})
{%- endif %}
{%- endmacro %}

{% macro record_staged_deliveries() %}
{%- if not is_incremental() %}
delete from operations.staged_deliveries where model = '{{ this.identifier }}';
{%- endif %}
delete from operations.staged_deliveries as seen
where seen.model = '{{ this.identifier }}'
  and not exists (
      select 1 from {{ source('raw', 'deliveries') }} as deliveries
      where deliveries.delivery_id = seen.delivery_id
  );
insert into operations.staged_deliveries (model, delivery_id, changed_at)
select '{{ this.identifier }}', delivery_id, changed_at from {{ _unseen_deliveries() }}
on conflict (model, delivery_id) do update set changed_at = excluded.changed_at;
{% endmacro %}
