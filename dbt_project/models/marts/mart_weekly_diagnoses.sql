{{ mart_incremental('week_start', 'week') }}
{#- Encounters per ISO week, département of residence and ICPC-2 chapter of the main diagnosis,
    for analysts. Small counts are suppressed: a cell below the threshold (var
    small_count_threshold, 10 by default, never below 5) is hidden, and when a week and
    département has exactly one hidden cell, its next smallest cell is hidden too, so that the
    published total cannot reveal it. -#}
{%- set threshold = [var('small_count_threshold', 10), 5] | max -%}
with primary_diagnoses as (
    select encounter_key, substr(icpc2_code, 1, 1) as icpc2_chapter
    from {{ ref('stg_diagnoses') }}
    where is_primary
),

counts as (
    select
        date_trunc('week', encounters.started_local_date)::date as week_start,
        coalesce(encounters.patient_department, 'unknown') as department_code,
        diagnoses.icpc2_chapter,
        count(*) as encounters
    from {{ ref('stg_encounters') }} as encounters
    inner join primary_diagnoses as diagnoses
        on diagnoses.encounter_key = encounters.encounter_key
    where true {{ and_changed_periods_only('encounters.started_local_date', 'week') }}
    group by 1, 2, 3
),

primary_suppression as (
    select
        *,
        encounters < {{ threshold }} as is_small,
        sum(encounters) over (partition by week_start, department_code) as group_total
    from counts
),

complementary as (
    select
        *,
        count(*) filter (where is_small) over (partition by week_start, department_code)
            as small_cells,
        row_number() over (
            partition by week_start, department_code, is_small
            order by encounters, icpc2_chapter
        ) as rank_among_same
    from primary_suppression
),

flagged as (
    select
        *,
        is_small or (small_cells = 1 and not is_small and rank_among_same = 1) as is_suppressed
    from complementary
)

select
    week_start,
    department_code,
    icpc2_chapter,
    case when is_suppressed then null else encounters end as encounters,
    is_suppressed,
    case
        when group_total < {{ threshold }} then null
        when count(*) filter (where is_suppressed)
            over (partition by week_start, department_code) = 1 then null
        else group_total
    end as week_department_total
from flagged
