{#- Statistics for the planner of the models that read this table later in the same run (the
    change feed: change_feed.sql). ANALYZE samples 30,000 rows of every column, whatever
    changed: on a national year it took 1-11 s per staging table and 3 s for int_visits, some
    30 s of every incremental day, for a day's rows that move no estimate (the planner reads the
    newest stamps from the index, beyond the histogram). So the table is analysed when it has no
    statistics yet (a first build, a full refresh) or has grown by more than a tenth since its
    size was last counted (by ANALYZE, VACUUM or an index build): a restamp of every row, a
    large re-delivery, a small warehouse's first days. The rest is autovacuum's, which analyses
    a table once a tenth of its rows changed. -#}
{% macro analyze_if_grown() %}
{%- set relation = this.include(database=false) -%}
do $analyze_if_grown$
begin
    if not exists (
        select 1 from pg_stats
        where schemaname = '{{ this.schema }}' and tablename = '{{ this.identifier }}'
    ) or (
        select pg_relation_size(oid) > 1.1 * relpages * current_setting('block_size')::bigint
        from pg_class where oid = '{{ relation }}'::regclass
    ) then
        analyze {{ relation }};
    end if;
end
$analyze_if_grown$
{% endmacro %}
