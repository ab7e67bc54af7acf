-- 0019_holdout_share: the share of each team's customers the randomised hold-out keeps off the
-- lists, set per team by an admin (0 to 30 %; teams without a row use the default, 10 %). A
-- change takes effect from the next hold-out period, so a period's draw never mixes two
-- shares: each row says from which period start it holds, and rows are kept, not replaced
-- (a change made again before its period starts replaces only that pending row).
create table team_holdout_shares (
    team            varchar not null,  -- reps.team; '' for reps without a team
    effective_from  date not null,  -- the first hold-out period start the share applies to
    share           double not null check (share >= 0 and share <= 0.3),
    updated_by      varchar not null,
    updated_at      timestamp not null default current_timestamp,
    primary key (team, effective_from)
);
