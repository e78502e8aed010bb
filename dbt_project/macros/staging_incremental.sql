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
               "analyze {{ this }}"],
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
delete from {{ this }}
where {{ unit_column }} in (select unit from {{ _restaged_units() }});
{%- endif %}
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
