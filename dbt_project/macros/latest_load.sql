{#- The rows of `relation` from the latest load of each business key: a re-delivered record
    replaces its earlier version, whichever delivery carried it. -#}
{% macro latest_load(relation, key_columns) %}
select * from (
    select
        *,
        row_number() over (
            partition by {{ key_columns | join(', ') }}
            order by loaded_at desc, delivery_id desc, source_line desc
        ) as load_rank
    from {{ relation }}
) as ranked
where load_rank = 1
{% endmacro %}
