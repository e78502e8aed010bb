{#- Assigns a dense integer id to each new source key and never changes an id once given.

    OMOP ids are 32-bit integers, too small for hashed ids without collisions, so ids are
    allocated here instead. Models using this macro are incremental with full_refresh=false: a
    rebuild of everything downstream keeps the ids analysts and exports already refer to.
    Unique indexes and NOT NULL constraints on the key and the id refuse a duplicate or a gap
    when it is written, at the cost of the new rows (a uniqueness or not-null test would re-read
    the whole map every run); `if not exists` gives the indexes to maps built before they
    existed, and setting NOT NULL again is free. The source keys read are those staged since
    the map last ran (`since_last_run`, change_feed.sql), so a run costs what the day brings. -#}
{% macro stable_id_map(source_keys_sql, id_column) %}
{{ config(
    materialized='incremental',
    unique_key='source_key',
    full_refresh=false,
    post_hook=[
        '{{ record_read_through() }}',
        'create unique index if not exists ' ~ this.identifier ~ '_source_key_unique on {{ this }} (source_key)',
        'create unique index if not exists ' ~ this.identifier ~ '_' ~ id_column ~ '_unique on {{ this }} (' ~ id_column ~ ')',
        'alter table {{ this }} alter column source_key set not null, alter column ' ~ id_column ~ ' set not null',
    ],
) }}
with candidate_keys as (
    {{ source_keys_sql }}
),

new_keys as (
    select distinct source_key
    from candidate_keys
    {% if is_incremental() %}
    where not exists (select 1 from {{ this }} as known where known.source_key = candidate_keys.source_key)
    {% endif %}
)

select
    source_key,
    (
        {% if is_incremental() %}(select coalesce(max({{ id_column }}), 0) from {{ this }}){% else %}0{% endif %}
        + row_number() over (order by source_key)
    )::integer as {{ id_column }}
from new_keys
{% endmacro %}
