{{ mart_incremental('activity_date') }}
{#- Activity per association and local day (the association's time zone): calls, encounters by kind, and
    the share of encounters with a coded diagnosis (SurSaUD keeps an association in research
    series only when it reaches 75%). Counts below the small-count threshold are hidden. -#}
with calls as (
    select association_id, received_local_date as activity_date, count(*) as calls
    from {{ ref('stg_calls') }}
    where true {{ and_changed_periods_only('received_local_date') }}
    group by 1, 2
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
        count(*) filter (where exists (
            select 1 from {{ ref('stg_diagnoses') }} as diagnoses
            where diagnoses.encounter_key = encounters.encounter_key
              and diagnoses.kind = 'diagnosis'
        )) as coded_encounters
    from {{ ref('stg_encounters') }} as encounters
    where true {{ and_changed_periods_only('encounters.started_local_date') }}
    group by 1, 2
),

daily as (
    select
        coalesce(calls.association_id, encounters.association_id) as association_id,
        coalesce(calls.activity_date, encounters.activity_date) as activity_date,
        coalesce(calls.calls, 0) as calls,
        coalesce(encounters.home_visits, 0) as home_visits,
        coalesce(encounters.centre_consultations, 0) as centre_consultations,
        coalesce(encounters.teleconsultations, 0) as teleconsultations,
        coalesce(encounters.encounters, 0) as encounters,
        coalesce(encounters.coded_encounters, 0) as coded_encounters
    from calls
    full outer join encounters
        on calls.association_id = encounters.association_id
        and calls.activity_date = encounters.activity_date
),

{#- Small counts: a kind of encounter seen 1 to threshold - 1 times is hidden; when only one
    kind is hidden, the smallest other non-zero kind is hidden too, so that the total does not
    reveal it; with no such kind, the total is hidden. -#}
{%- set threshold = [var('small_count_threshold', 10), 5] | max %}
flagged as (
    select
        *,
        home_visits between 1 and {{ threshold - 1 }} as small_home,
        centre_consultations between 1 and {{ threshold - 1 }} as small_centre,
        teleconsultations between 1 and {{ threshold - 1 }} as small_tele
    from daily
),

complemented as (
    select
        *,
        (small_home::int + small_centre::int + small_tele::int) = 1 as needs_complement,
        least(
            case when not small_home and home_visits > 0 then home_visits end,
            case when not small_centre and centre_consultations > 0 then centre_consultations end,
            case when not small_tele and teleconsultations > 0 then teleconsultations end
        ) as complement_value
    from flagged
)

select
    association_id,
    activity_date,
    case when calls between 1 and {{ threshold - 1 }} then null else calls end as calls,
    case
        when small_home or (needs_complement and home_visits = complement_value) then null
        else home_visits
    end as home_visits,
    case
        when small_centre or (needs_complement and centre_consultations = complement_value
                              and home_visits <> complement_value) then null
        else centre_consultations
    end as centre_consultations,
    case
        when small_tele or (needs_complement and teleconsultations = complement_value
                            and home_visits <> complement_value
                            and centre_consultations <> complement_value) then null
        else teleconsultations
    end as teleconsultations,
    case
        when encounters between 1 and {{ threshold - 1 }} then null
        when needs_complement and complement_value is null then null
        else encounters
    end as encounters,
    case
        when encounters < {{ threshold }} then null
        else round(coded_encounters::numeric / encounters, 3)
    end as coded_diagnosis_share
from complemented
