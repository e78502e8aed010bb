{#- Statistics for the planner of the models that read this table later in the same run (the
    change feed: change_feed.sql). Every row a run writes carries the same stamp, so only
    fresh statistics of the stamp column tell the planner how many rows are new: from a
    histogram that predates them it estimates one row, and then joins a day's changes by
    scanning the history (`measurement` ran for minutes after a national year).

    A full ANALYZE samples 30,000 rows of every column: 1-15 s per table after a national year,
    some 30 s of every incremental day, for other columns' estimates that a day does not move.
    So a run that left the table without statistics (a first build, a full refresh) or grew it
    by more than `statistics_growth` (a tenth: a restamp of every row, a large re-delivery, a
    small warehouse's first days) analyses the whole table; any other run analyses only the
    stamp column, on a sample of 3,000 rows (its statistics target is 10), in 0.03-0.2 s. The
    other columns are autovacuum's, which analyses a table once a tenth of its rows changed. -#}
{% macro refresh_planner_statistics(stamp_column) %}
{%- set relation = this.include(database=false) -%}
do $refresh_planner_statistics$
begin
    if (select attstattarget is distinct from 10 from pg_attribute
        where attrelid = '{{ relation }}'::regclass and attname = '{{ stamp_column }}') then
        alter table {{ relation }} alter column {{ stamp_column }} set statistics 10;
    end if;
    if not exists (
        select 1 from pg_stats
        where schemaname = '{{ this.schema }}' and tablename = '{{ this.identifier }}'
    ) or (
        select pg_relation_size(oid) > {{ 1 + var('statistics_growth', 0.1) }} * relpages
                                       * current_setting('block_size')::bigint
        from pg_class where oid = '{{ relation }}'::regclass
    ) then
        analyze {{ relation }};
    else
        analyze {{ relation }} ({{ stamp_column }});
    end if;
end
$refresh_planner_statistics$
{% endmacro %}
