{#- Tests on recent data only, when the run asks for it.

    With `--vars '{test_window_days: N}'` every generic test reads only the rows of its model
    that changed since the test last passed, or in the last N days, so that the checks of an
    hourly or daily build cost what the new data costs, not what the history costs. A failing
    test's window does not move on: its rows stay under test until they are corrected, however
    many days that takes (operations.test_passes, written at the end of each run; a test that
    never passed reads everything). Which rows: those of deliveries loaded or changed in the
    window (tables with a delivery_id), of visits whose OMOP rows were rebuilt in it
    (visit_occurrence_id, through int_visits.changed_at) or of their episodes (episode_id), of
    encounters or calls delivered in it (encounter_key, call_key), changed in it (changed_at:
    the person links), or of the persons those records and links name (person_id: person,
    observation_period, death; changed_persons_in_window below). Tables with none of these
    (reference tables, marts) are tested whole. Without the variable (dbt build by hand, the
    weekly full check, a full refresh) every test reads everything. A test's own `where` still applies.
    The filtered model is an aliased subquery, so tests that alias their model write
    `(select * from {{ model }}) as rows_`. -#}
{% macro get_where_subquery(relation) -%}
    {%- set filters = [] -%}
    {%- if config.get('where') %}{% do filters.append(config.get('where')) %}{% endif -%}
    {%- set window = var('test_window_days', none) -%}
    {%- if window is not none and execute -%}
        {%- set recent = recent_rows_filter(relation, window | int) -%}
        {%- if recent %}{% do filters.append(recent) %}{% endif -%}
    {%- endif -%}
    {%- if filters -%}
        {% do return('(select * from ' ~ relation ~ ' where ' ~ filters | join(' and ') ~ ') dbt_subquery') %}
    {%- else -%}
        {% do return(relation) %}
    {%- endif -%}
{%- endmacro %}

{% macro recent_rows_filter(relation, days) -%}
    {#- One query per test gives both the start of its window and its model's columns (read
        from the catalogue: dbt's get_columns_in_relation is a second query, through
        information_schema, and every routine build compiles some 280 tests). The start is
        returned as a literal, so that the planner estimates from the statistics how few rows
        are newer. -#}
    {%- set found = run_query(
        "select least(now() - interval '" ~ days ~ " days', coalesce(max(passed_at), "
        ~ "'-infinity'::timestamptz))::text, (select string_agg(attname, ',') from pg_attribute "
        ~ "where attrelid = to_regclass(format('%I.%I', '" ~ relation.schema ~ "', '"
        ~ relation.identifier ~ "')) and attnum > 0 and not attisdropped) "
        ~ "from operations.test_passes where test_id = '" ~ model.unique_id ~ "'") -%}
    {%- set since = found.columns[0].values()[0] -%}
    {%- set columns = (found.columns[1].values()[0] or '').split(',') -%}
    {%- if since == '-infinity' -%}
        {{ return('') }}  {#- never passed: every row, read as the planner sees fit -#}
    {%- endif -%}
    {%- set since = "'" ~ since ~ "'::timestamptz" -%}
    {%- set deliveries = changed_keys("select delivery_id from raw.deliveries where changed_at > " ~ since) -%}
    {%- set visits = adapter.get_relation(target.database, 'intermediate', 'int_visits') -%}
    {%- if 'delivery_id' in columns -%}
        {{ return('delivery_id = ' ~ deliveries) }}
    {%- elif 'visit_occurrence_id' in columns and visits is not none -%}
        {{ return('visit_occurrence_id = ' ~ changed_keys('select visit_occurrence_id from '
                  ~ visits ~ ' where changed_at > ' ~ since)) }}
    {%- elif 'episode_id' in columns and visits is not none -%}
        {{ return('episode_id = ' ~ changed_keys('select episode_id from ' ~ visits
                  ~ ' where changed_at > ' ~ since)) }}
    {%- elif 'encounter_key' in columns -%}
        {{ return('encounter_key = ' ~ changed_keys('select encounter_key from '
                  ~ 'staging.stg_encounters where delivery_id = ' ~ deliveries)) }}
    {%- elif 'call_key' in columns -%}
        {{ return('call_key = ' ~ changed_keys('select call_key from staging.stg_calls where '
                  ~ 'delivery_id = ' ~ deliveries)) }}
    {%- elif 'changed_at' in columns -%}
        {{ return('changed_at > ' ~ since) }}
    {%- elif 'person_id' in columns -%}
        {{ return('person_id = ' ~ changed_keys(changed_persons_in_window(since, deliveries))) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}

{#- The OMOP person_id of every person whose per-person rows a run may have rebuilt in the
    window: the persons of the records delivered in it, those of the links changed in it (a
    relinked or removed record) and the persons those links had before, who may have lost
    their last record: the persons the per-person models rebuild (changed_person_keys,
    change_feed.sql), found from the deliveries as the other branches are. Measured a day
    after a national year: two days' feed names 8,355 persons, found in 0.14-0.64 s on a warm
    cache, and a test of `person` over them takes 0.35-1.2 s against 1.6-6.2 s over
    everyone. -#}
{% macro changed_persons_in_window(since, deliveries) -%}
    {%- set links = 'intermediate.int_person_links' -%}
    {%- set records -%}
        select 'call:' || call_key from staging.stg_calls where delivery_id = {{ deliveries }}
        union all
        select 'encounter:' || encounter_key from staging.stg_encounters
        where delivery_id = {{ deliveries }}
    {%- endset -%}
    {%- set person_keys -%}
        select person_key from {{ links }} where changed_at > {{ since }}
        union
        select previous_person_key from {{ links }}
        where changed_at > {{ since }} and previous_person_key is not null
        union
        select person_key from {{ links }} where record_key = {{ changed_keys(records) }}
    {%- endset -%}
    {{- return('select person_id from intermediate.int_person_ids where source_key = '
               ~ changed_keys(person_keys)) -}}
{%- endmacro %}

{#- The keys that changed, as one array computed before the table is read: the table is then
    read through its index on the key, whatever the test's own filter. With `key in (select
    ...)` the planner joined the changes to the table and, with a filter it believed nearly
    empty (`is null`), chose to scan the whole table for it (a day after a national year: 2-6 s
    per test against 0.1-0.4 s this way). Incremental models read their changed keys or days
    through it too (int_persons, the marts), for the same reason. -#}
{% macro changed_keys(keys_sql) -%}
    {{- return('any(array(' ~ keys_sql ~ '))') -}}
{%- endmacro %}

{#- The tests that passed in this run (dbt build or dbt test), with the run's start: the next
    routine build tests what changed since. Failing, erroring or skipped tests keep their last
    pass. -#}
{% macro record_test_passes(results) -%}
    {%- set passed = [] -%}
    {%- for result in results
        if result.node.resource_type == 'test' and result.status == 'pass' -%}
        {%- do passed.append("('" ~ result.node.unique_id ~ "')") -%}
    {%- endfor -%}
    {%- if passed %}
insert into operations.test_passes (test_id, passed_at)
select test_id, '{{ run_started_at.isoformat() }}'::timestamptz
from (values {{ passed | join(', ') }}) as passed (test_id)
on conflict (test_id) do update set passed_at = greatest(operations.test_passes.passed_at, excluded.passed_at)
    {%- endif -%}
{%- endmacro %}
