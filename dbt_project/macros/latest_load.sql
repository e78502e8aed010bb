{#- The rows of raw `entity` from the latest load of each business key: a re-delivered record
    replaces its earlier version, whichever delivery carried it. An incremental run reads only
    the units it restages. -#}
{% macro latest_load(entity, key_columns) %}
select * from (
    select
        *,
        row_number() over (
            partition by {{ key_columns | join(', ') }}
            order by loaded_at desc, delivery_id desc, source_line desc
        ) as load_rank
    from {{ source('raw', entity) }}
    {{ restaged_rows_only(entity) }}
) as ranked
where load_rank = 1
{% endmacro %}
