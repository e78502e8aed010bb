{#- One row per linked person, with the traits of their most recent record: a later record
    corrects an earlier typing error rather than creating a second person. -#}
with records as (
    select 'call:' || call_key as record_key, patient_birth_year, patient_birth_month,
           patient_sex, patient_commune_code, received_at as seen_at
    from {{ ref('stg_calls') }}
    union all
    select 'encounter:' || encounter_key, patient_birth_year, patient_birth_month,
           patient_sex, patient_commune_code, started_at
    from {{ ref('stg_encounters') }}
),

ranked as (
    select
        links.person_key,
        records.*,
        row_number() over (
            partition by links.person_key order by records.seen_at desc, records.record_key
        ) as recency
    from records
    inner join {{ ref('int_person_links') }} as links on links.record_key = records.record_key
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
