{#- Incremental per-person OMOP tables (person, observation_period, death): a run deletes and
    rebuilds the rows of the persons the change feed names (changed_person_ids, change_feed.sql)
    in one transaction, and moves its watermark; every person on a first build, a full refresh
    or after a staging rebuild. Indexed on person_id (person has it as its primary key), through
    which a run and the test window (test_window.sql) read a few persons' rows: without it each
    test of observation_period compared every row with the window's persons, 72-157 s a day
    after a national year. -#}
{% macro person_incremental(index_person=true) %}
{#- The change feed's tables are read on incremental runs only: declared here for the DAG. -#}
{%- set _ = [ref('int_person_links'), ref('int_person_ids'), ref('stg_calls'), ref('stg_encounters')] -%}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    contract={'enforced': true},
    pre_hook="{{ delete_changed_persons() }}",
    post_hook=["{{ record_read_through() }}"]
              + (["create index if not exists {{ this.identifier }}_person_id on {{ this }} (person_id)"]
                 if index_person else []),
) }}
{% endmacro %}

{% macro delete_changed_persons() %}
{%- if is_incremental() and not reads_everything() -%}
delete from {{ this }} where person_id in ({{ changed_person_ids() }})
{%- elif is_incremental() -%}
delete from {{ this }}
{%- endif -%}
{% endmacro %}

{#- `and <column> in (the changed persons)` on an incremental run, nothing otherwise. -#}
{% macro and_changed_persons_only(column) -%}
{%- if is_incremental() and not reads_everything() %}
and {{ column }} in ({{ changed_person_ids() }})
{%- endif %}
{%- endmacro %}
