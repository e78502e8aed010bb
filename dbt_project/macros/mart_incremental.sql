{#- Incremental marts: a run deletes and recomputes the days (or weeks) of activity the change
    feed names since its last run: the days of the calls and encounters staged since, of the
    encounters whose diagnoses changed, and the days the restaged or removed records had before
    (operations.restaged_dates). Every period on a first build, a full refresh or after a
    staging rebuild. `period_column` is the mart's day or week column. -#}
{% macro mart_incremental(period_column, grain='day') %}
{#- The change feed's tables are read on incremental runs only: declared here for the DAG. -#}
{%- set _ = [ref('stg_calls'), ref('stg_encounters'), ref('stg_diagnoses')] -%}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    indexes=[{'columns': [period_column]}],
    pre_hook="{{ delete_changed_periods('" ~ period_column ~ "', '" ~ grain ~ "') }}",
    post_hook=["{{ record_read_through() }}"],
) }}
{% endmacro %}

{#- The days of activity changed since this model last ran. -#}
{% macro changed_activity_dates() -%}
select received_local_date as activity_date from {{ ref('stg_calls') }} where {{ since_last_run() }}
union
select started_local_date from {{ ref('stg_encounters') }} where {{ since_last_run() }}
union
select started_local_date from {{ ref('stg_encounters') }}
where encounter_key in (
    select encounter_key from {{ ref('stg_diagnoses') }} where {{ since_last_run() }}
    union
    {{ removed_units('stg_diagnoses') }}
)
union
select local_date from operations.restaged_dates
where model in ('stg_calls', 'stg_encounters') and restaged_at > {{ read_through() }}
{%- endmacro %}

{% macro _period_of(date_sql, grain) -%}
{%- if grain == 'week' -%}date_trunc('week', {{ date_sql }})::date{%- else -%}{{ date_sql }}{%- endif -%}
{%- endmacro %}

{#- Keeps the rows whose `date_column` falls in a changed period; nothing on a full build. The
    periods' days are read through the day's index (changed_keys: as a subquery, every day of
    the history was scanned, 2-3 s per mart after a national year). -#}
{% macro and_changed_periods_only(date_column, grain='day') -%}
{%- if is_incremental() and not reads_everything() %}
{%- set changed_days -%}
    select periods.period + day_offset
    from (
        select distinct {{ _period_of('activity_date', grain) }} as period
        from ({{ changed_activity_dates() }}) as changed
    ) as periods
    cross join generate_series(0, {{ 6 if grain == 'week' else 0 }}) as day_offset
{%- endset %}
and {{ date_column }} = {{ changed_keys(changed_days) }}
{%- endif %}
{%- endmacro %}

{% macro delete_changed_periods(period_column, grain) %}
{%- if is_incremental() and not reads_everything() -%}
delete from {{ this }} where {{ period_column }} in (
    select {{ _period_of('activity_date', grain) }} from ({{ changed_activity_dates() }}) as changed
)
{%- elif is_incremental() -%}
delete from {{ this }}
{%- endif -%}
{% endmacro %}
