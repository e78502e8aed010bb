{#- Activity per association and day (French metropolitan time): calls, encounters by kind, and
    the share of encounters with a coded diagnosis (SurSaUD keeps an association in research
    series only when it reaches 75%). -#}
with calls as (
    select association_id, received_local_date as activity_date, count(*) as calls
    from {{ ref('stg_calls') }}
    group by 1, 2
),

encounters as (
    select
        association_id,
        started_local_date as activity_date,
        count(*) filter (where encounter_type = 'home_visit') as home_visits,
        count(*) filter (where encounter_type = 'centre_consultation') as centre_consultations,
        count(*) filter (where encounter_type = 'teleconsultation') as teleconsultations,
        count(*) as encounters,
        count(*) filter (where diagnosis_icpc2 is not null) as coded_encounters
    from {{ ref('stg_encounters') }}
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
