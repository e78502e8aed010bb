{#- Activity per association and day (French metropolitan time): calls, encounters by kind, and
    the share of encounters with a coded diagnosis (SurSaUD keeps an association in research
    series only when it reaches 75%). -#}
with calls as (
    select association_id, received_local_date as activity_date, count(*) as calls
    from {{ ref('stg_calls') }}
    group by 1, 2
),

coded as (
    select distinct encounter_key
    from {{ ref('stg_diagnoses') }}
    where kind = 'diagnosis'
),

encounters as (
    select
        encounters.association_id,
        encounters.started_local_date as activity_date,
        count(*) filter (where encounters.encounter_type = 'home_visit') as home_visits,
        count(*) filter (where encounters.encounter_type = 'centre_consultation')
            as centre_consultations,
        count(*) filter (where encounters.encounter_type = 'teleconsultation')
            as teleconsultations,
        count(*) as encounters,
        count(coded.encounter_key) as coded_encounters
    from {{ ref('stg_encounters') }} as encounters
    left join coded on coded.encounter_key = encounters.encounter_key
    group by 1, 2
)

select
    coalesce(calls.association_id, encounters.association_id) as association_id,
    coalesce(calls.activity_date, encounters.activity_date) as activity_date,
    coalesce(calls.calls, 0) as calls,
    coalesce(encounters.home_visits, 0) as home_visits,
    coalesce(encounters.centre_consultations, 0) as centre_consultations,
    coalesce(encounters.teleconsultations, 0) as teleconsultations,
    coalesce(encounters.encounters, 0) as encounters,
    round(
        coalesce(encounters.coded_encounters, 0)::numeric / nullif(encounters.encounters, 0), 3
    ) as coded_diagnosis_share
from calls
full outer join encounters
    on calls.association_id = encounters.association_id
    and calls.activity_date = encounters.activity_date
