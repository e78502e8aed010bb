{#- One row per pseudonymous person, with the traits of their most recent record: a later
    record corrects an earlier typing error rather than creating a second person. -#}
with records as (
    select person_pseudonym, patient_birth_year, patient_birth_month, patient_sex,
           received_at as seen_at
    from {{ ref('stg_calls') }}
    union all
    select person_pseudonym, patient_birth_year, patient_birth_month, patient_sex,
           started_at as seen_at
    from {{ ref('stg_encounters') }}
),

ranked as (
    select
        *,
        row_number() over (partition by person_pseudonym order by seen_at desc) as recency
    from records
)

select
    ids.person_id,
    ranked.person_pseudonym,
    ranked.patient_birth_year as birth_year,
    ranked.patient_birth_month as birth_month,
    ranked.patient_sex as sex
from ranked
inner join {{ ref('int_person_ids') }} as ids on ids.source_key = ranked.person_pseudonym
where ranked.recency = 1
