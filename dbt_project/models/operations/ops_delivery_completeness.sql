{#- Completeness of deliveries per association and day: expected (one a day from the
    association's first delivery to the latest day any association delivered), received, late
    (produced more than 24 h after the end of its period), re-delivered, rows loaded and rejected.
    Hourly deliveries count towards their day. -#}
with deliveries as (
    select
        association_id,
        period_start::date as delivery_day,
        sequence,
        produced_at,
        produced_at > (
            (
                period_start
                + case when period like '%T%' then interval '1 hour' else interval '1 day' end
            ) at time zone 'UTC'
        ) + interval '24 hours' as is_late,
        delivery_id
    from {{ source('raw', 'deliveries') }}
),

files as (
    select delivery_id, sum(row_count) as rows_loaded, sum(rejected_rows) as rows_rejected
    from {{ source('raw', 'delivery_files') }}
    group by delivery_id
),

bounds as (
    select association_id, min(delivery_day) as first_day
    from deliveries
    group by association_id
),

expected_days as (
    select bounds.association_id, day::date as delivery_day
    from bounds
    cross join lateral generate_series(
        bounds.first_day, (select max(delivery_day) from deliveries), interval '1 day'
    ) as day
),

received as (
    select
        deliveries.association_id,
        deliveries.delivery_day,
        count(*) as deliveries_received,
        bool_or(deliveries.is_late) as is_late,
        max(deliveries.sequence) as latest_sequence,
        sum(files.rows_loaded) as rows_loaded,
        sum(files.rows_rejected) as rows_rejected
    from deliveries
    left join files on files.delivery_id = deliveries.delivery_id
    group by 1, 2
)

select
    expected_days.association_id,
    expected_days.delivery_day,
    1 as deliveries_expected,
    coalesce(received.deliveries_received, 0) as deliveries_received,
    received.deliveries_received is null as is_missing,
    coalesce(received.is_late, false) as is_late,
    coalesce(received.latest_sequence, 0) as latest_sequence,
    coalesce(received.rows_loaded, 0) as rows_loaded,
    coalesce(received.rows_rejected, 0) as rows_rejected
from expected_days
left join received
    on received.association_id = expected_days.association_id
    and received.delivery_day = expected_days.delivery_day
