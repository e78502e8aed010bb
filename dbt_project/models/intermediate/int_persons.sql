{{ config(
    materialized='incremental',
    unique_key='person_key',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    indexes=[{'columns': ['person_key'], 'unique': true}, {'columns': ['person_id'], 'unique': true}],
    post_hook=["{{ forget_vanished_persons() }}", "{{ record_read_through() }}"],
) }}
{#- One row per linked person, with the traits of their most recent record: a later record
    corrects an earlier typing error rather than creating a second person. A run recomputes
    only the persons the change feed names (changed_person_keys): those whose records were
    staged, relinked or removed since its last run; a person left without records is deleted.
    Their records are read by key (changed_keys: as a subquery, every record of the history was
    scanned, 7 s after a national year). -#}
{%- set everything = reads_everything() %}
with
{%- if not everything %}
changed_keys as (
    {{ changed_person_keys() }}
),
{%- endif %}

person_links as (
    select record_key, person_key
    from {{ ref('int_person_links') }}
    where is_present
    {%- if not everything %}
      and person_key in (select person_key from changed_keys)
    {%- endif %}
),

records as (
    select 'call:' || call_key as record_key, patient_birth_year, patient_birth_month,
           patient_sex, patient_commune_code, received_at as seen_at
    from {{ ref('stg_calls') }}
    {%- if not everything %}
    where call_key = {{ changed_keys(
        "select substr(record_key, 6) from person_links where record_key like 'call:%'"
    ) }}
    {%- endif %}
    union all
    select 'encounter:' || encounter_key, patient_birth_year, patient_birth_month,
           patient_sex, patient_commune_code, started_at
    from {{ ref('stg_encounters') }}
    {%- if not everything %}
    where encounter_key = {{ changed_keys(
        "select substr(record_key, 11) from person_links where record_key like 'encounter:%'"
    ) }}
    {%- endif %}
),

ranked as (
    select
        person_links.person_key,
        records.*,
        row_number() over (
            partition by person_links.person_key
            order by records.seen_at desc, records.record_key
        ) as recency
    from records
    inner join person_links on person_links.record_key = records.record_key
)

select
    ids.person_id,
    ranked.person_key,
    ranked.patient_birth_year as birth_year,
    ranked.patient_birth_month as birth_month,
    ranked.patient_sex as sex,
    ranked.patient_commune_code as commune_code
from ranked
inner join {{ ref('int_person_ids') }} as ids on ids.source_key = ranked.person_key
where ranked.recency = 1
