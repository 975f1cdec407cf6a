//! The SQL of the store, written once and compiled for each backend by [`store_impl!`]. Both SQLite and
//! PostgreSQL accept `$1` placeholders, `RETURNING` and the types used here, so the text is shared; what differs
//! (connection, migrations, NOTIFY) lives in `sqlite.rs` and `postgres.rs` as `after_change` and `migrator`.

/// Rows per multi-row INSERT (keeps well under SQLite's and PostgreSQL's limits on bound parameters).
pub(crate) const INSERT_CHUNK: usize = 1000;

/// Inserts `$rows` in chunks with one multi-row statement per chunk.
macro_rules! bulk_insert {
    ($db:ty, $tx:expr, $head:literal, $rows:expr, |$b:ident, $r:ident| $bind:block) => {
        // The next statement's values are bound while the database runs the current one (SQLite's driver works
        // on a thread of its own): the two overlap.
        let mut chunks = $rows.chunks($crate::queries::INSERT_CHUNK);
        macro_rules! next_statement {
            () => {
                chunks.next().map(|chunk| {
                    let mut qb = sqlx::QueryBuilder::<$db>::new($head);
                    qb.push_values(chunk, |mut $b, $r| $bind);
                    qb
                })
            };
        }
        let mut current = next_statement!();
        while let Some(mut qb) = current.take() {
            let (done, next) = tokio::join!(
                async { qb.build().execute(&mut *$tx).await },
                async { next_statement!() }
            );
            done?;
            current = next;
        }
    };
}

/// Appends the WHERE clause of a [`crate::PetitionFilter`] to the query builder `$q`.
macro_rules! petition_conditions {
    ($q:ident, $f:expr) => {{
        let f: &$crate::PetitionFilter = $f;
        $q.push(" WHERE 1 = 1");
        for (column, values) in [
            ("status", &f.statuses),
            ("category", &f.categories),
            ("channel", &f.channels),
            ("level", &f.levels),
            ("grid_code", &f.grid_codes),
        ] {
            if !values.is_empty() {
                $q.push(format!(" AND {column} IN ("));
                let mut list = $q.separated(", ");
                for v in values {
                    list.push_bind(v.clone());
                }
                $q.push(")");
            }
        }
        if let Some(grid) = &f.grid_code {
            $q.push(" AND grid_code = ").push_bind(grid.clone());
        }
        if let Some(t) = f.received_from {
            $q.push(" AND received_at >= ").push_bind(t);
        }
        if let Some(t) = f.received_before {
            $q.push(" AND received_at < ").push_bind(t);
        }
        if let Some(t) = f.deadline_before {
            $q.push(" AND deadline < ").push_bind(t);
        }
    }};
}

/// Implements [`crate::Store`] for `$store` (which has a `pool: sqlx::Pool<$db>`).
macro_rules! store_impl {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::Store for $store {
            fn kind(&self) -> $crate::DatabaseKind {
                Self::KIND
            }

            #[tracing::instrument(skip_all, err)]
            async fn schema_version(&self) -> $crate::Result<i64> {
                let v: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(v.unwrap_or(0))
            }

            #[tracing::instrument(skip_all, err)]
            async fn town(&self) -> $crate::Result<Option<chengguan_core::town::Town>> {
                let row: Option<$crate::rows::TownRow> =
                    sqlx::query_as("SELECT id, code, name, synthetic, created_at FROM town LIMIT 1")
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(Into::into))
            }

            #[tracing::instrument(skip_all, err)]
            async fn init_town(&self, town: &chengguan_core::town::Town) -> $crate::Result<()> {
                let mut tx = self.pool.begin().await?;
                let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM town").fetch_one(&mut *tx).await?;
                if existing > 0 {
                    return Err($crate::StoreError::AlreadyInitialised);
                }
                sqlx::query("INSERT INTO town (id, code, name, synthetic, created_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(town.id)
                    .bind(&town.code)
                    .bind(&town.name)
                    .bind(town.synthetic)
                    .bind(town.created_at)
                    .execute(&mut *tx)
                    .await?;
                Self::record(&mut tx, "town", Some(town.id), "insert", Some(1)).await?;
                tx.commit().await?;
                Ok(())
            }

            #[tracing::instrument(skip_all, err)]
            async fn has_town_data(&self) -> $crate::Result<bool> {
                let n: i64 = sqlx::query_scalar(
                    "SELECT (SELECT COUNT(*) FROM communities) + (SELECT COUNT(*) FROM grids) \
                     + (SELECT COUNT(*) FROM organisations) + (SELECT COUNT(*) FROM people)",
                )
                .fetch_one(&self.pool)
                .await?;
                Ok(n > 0)
            }

            #[tracing::instrument(skip_all, err, fields(replace))]
            async fn load_town_data(
                &self,
                data: &chengguan_core::town::TownData,
                synthetic: bool,
                replace: bool,
                audit: &chengguan_core::audit::AuditDraft,
            ) -> $crate::Result<()> {
                use chengguan_core::geo::measure::multipolygon_area_m2;
                let mut tx = self.pool.begin().await?;
                let town_id: Option<uuid::Uuid> =
                    sqlx::query_scalar("SELECT id FROM town LIMIT 1").fetch_optional(&mut *tx).await?;
                let Some(town_id) = town_id else { return Err($crate::StoreError::NotInitialised) };
                if replace {
                    for table in $crate::queries::TABLES_CHILD_FIRST {
                        sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
                    }
                } else {
                    let n: i64 = sqlx::query_scalar(
                        "SELECT (SELECT COUNT(*) FROM communities) + (SELECT COUNT(*) FROM grids) \
                         + (SELECT COUNT(*) FROM organisations) + (SELECT COUNT(*) FROM people)",
                    )
                    .fetch_one(&mut *tx)
                    .await?;
                    if n > 0 {
                        return Err($crate::StoreError::NotEmpty);
                    }
                }
                let now = chrono::Utc::now();
                $crate::queries::bulk_insert!($db, tx, "INSERT INTO communities (id, code, name, version) ", data.communities, |b, c| {
                    b.push_bind(c.id).push_bind(c.code.clone()).push_bind(c.name.clone()).push_bind(c.version);
                });
                $crate::queries::bulk_insert!($db, tx, "INSERT INTO party_branches (id, community_id, name, version) ", data.party_branches, |b, p| {
                    b.push_bind(p.id).push_bind(p.community_id).push_bind(p.name.clone()).push_bind(p.version);
                });
                $crate::queries::bulk_insert!($db, tx, "INSERT INTO grids (id, community_id, party_branch_id, code, name, boundary, \
                    min_lon, min_lat, max_lon, max_lat, area_m2, boundary_version, version, updated_at) ", data.grids, |b, g| {
                    let (x0, y0, x1, y1) = $crate::rows::bbox(&g.boundary);
                    b.push_bind(g.id).push_bind(g.community_id).push_bind(g.party_branch_id).push_bind(g.code.clone())
                        .push_bind(g.name.clone()).push_bind($crate::rows::encode_boundary(&g.boundary))
                        .push_bind(x0).push_bind(y0).push_bind(x1).push_bind(y1)
                        .push_bind(multipolygon_area_m2(&g.boundary)).push_bind(g.boundary_version)
                        .push_bind(g.version).push_bind(now);
                });
                $crate::queries::bulk_insert!($db, tx, "INSERT INTO organisations (id, kind, name, community_id, compound_id, version) ", data.organisations, |b, o| {
                    b.push_bind(o.id).push_bind(o.kind.code()).push_bind(o.name.clone()).push_bind(o.community_id)
                        .push_bind(o.compound_id).push_bind(o.version);
                });
                $crate::queries::bulk_insert!($db, tx, "INSERT INTO compounds (id, grid_id, name, property_company_id, version) ", data.compounds, |b, c| {
                    b.push_bind(c.id).push_bind(c.grid_id).push_bind(c.name.clone()).push_bind(c.property_company_id).push_bind(c.version);
                });
                $crate::queries::bulk_insert!($db, tx, "INSERT INTO buildings (id, compound_id, grid_id, name, lon, lat, floors, version) ", data.buildings, |b, x| {
                    b.push_bind(x.id).push_bind(x.compound_id).push_bind(x.grid_id).push_bind(x.name.clone())
                        .push_bind(x.location.x()).push_bind(x.location.y()).push_bind(x.floors).push_bind(x.version);
                });
                $crate::queries::bulk_insert!($db, tx, "INSERT INTO units (id, building_id, number, households, version) ", data.units, |b, u| {
                    b.push_bind(u.id).push_bind(u.building_id).push_bind(u.number).push_bind(u.households).push_bind(u.version);
                });
                $crate::queries::bulk_insert!($db, tx, "INSERT INTO alliances (id, community_id, name, version) ", data.alliances, |b, a| {
                    b.push_bind(a.id).push_bind(a.community_id).push_bind(a.name.clone()).push_bind(a.version);
                });
                $crate::queries::bulk_insert!($db, tx, "INSERT INTO alliance_members (alliance_id, organisation_id) ", data.alliance_members, |b, m| {
                    b.push_bind(m.alliance_id).push_bind(m.organisation_id);
                });
                $crate::queries::bulk_insert!($db, tx, "INSERT INTO service_points (id, kind, name, community_id, lon, lat, version) ", data.service_points, |b, p| {
                    b.push_bind(p.id).push_bind(p.kind.code()).push_bind(p.name.clone()).push_bind(p.community_id)
                        .push_bind(p.location.x()).push_bind(p.location.y()).push_bind(p.version);
                });
                $crate::queries::bulk_insert!($db, tx, "INSERT INTO people (id, name, phone, id_number, party_member, version) ", data.people, |b, p| {
                    b.push_bind(p.id).push_bind(p.name.clone()).push_bind(p.phone.clone()).push_bind(p.id_number.clone())
                        .push_bind(p.party_member).push_bind(p.version);
                });
                $crate::queries::bulk_insert!($db, tx, "INSERT INTO role_assignments (id, person_id, role, level, community_id, grid_id, \
                    building_id, unit_id, version) ", data.assignments, |b, a| {
                    use chengguan_core::people::Scope;
                    let pick = |want: fn(Scope) -> Option<uuid::Uuid>| want(a.scope);
                    b.push_bind(a.id).push_bind(a.person_id).push_bind(a.role.code()).push_bind(a.scope.level().code())
                        .push_bind(pick(|s| if let Scope::Community(id) = s { Some(id) } else { None }))
                        .push_bind(pick(|s| if let Scope::Grid(id) = s { Some(id) } else { None }))
                        .push_bind(pick(|s| if let Scope::Building(id) = s { Some(id) } else { None }))
                        .push_bind(pick(|s| if let Scope::Unit(id) = s { Some(id) } else { None }))
                        .push_bind(a.version);
                });
                sqlx::query("UPDATE town SET synthetic = $1, version = version + 1 WHERE id = $2")
                    .bind(synthetic)
                    .bind(town_id)
                    .execute(&mut *tx)
                    .await?;
                Self::record(&mut tx, "town", Some(town_id), if replace { "reload" } else { "load" }, None).await?;
                Self::audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            #[tracing::instrument(skip_all, err)]
            async fn census(&self) -> $crate::Result<chengguan_core::census::TownCensus> {
                let (communities, grids, party_branches, compounds, buildings, units, households, alliances):
                    (i64, i64, i64, i64, i64, i64, i64, i64) = sqlx::query_as(
                    "SELECT (SELECT COUNT(*) FROM communities), (SELECT COUNT(*) FROM grids), \
                     (SELECT COUNT(*) FROM party_branches), (SELECT COUNT(*) FROM compounds), \
                     (SELECT COUNT(*) FROM buildings), (SELECT COUNT(*) FROM units), \
                     (SELECT COALESCE(SUM(households), 0) FROM units), (SELECT COUNT(*) FROM alliances)",
                )
                .fetch_one(&self.pool)
                .await?;
                let organisations: Vec<(String, i64)> =
                    sqlx::query_as("SELECT kind, COUNT(*) FROM organisations GROUP BY kind").fetch_all(&self.pool).await?;
                let roles: Vec<(String, i64)> =
                    sqlx::query_as("SELECT role, COUNT(DISTINCT person_id) FROM role_assignments GROUP BY role")
                        .fetch_all(&self.pool)
                        .await?;
                let points: Vec<(String, i64)> =
                    sqlx::query_as("SELECT kind, COUNT(*) FROM service_points GROUP BY kind").fetch_all(&self.pool).await?;
                Ok($crate::queries::census(
                    [communities, grids, party_branches, compounds, buildings, units, households, alliances],
                    organisations,
                    roles,
                    points,
                ))
            }

            #[tracing::instrument(skip_all, err)]
            async fn communities(&self) -> $crate::Result<Vec<chengguan_core::town::Community>> {
                let rows: Vec<$crate::rows::CommunityRow> =
                    sqlx::query_as("SELECT id, code, name, version FROM communities ORDER BY code")
                        .fetch_all(&self.pool)
                        .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            #[tracing::instrument(skip_all, err)]
            async fn party_branches(&self) -> $crate::Result<Vec<chengguan_core::town::PartyBranch>> {
                let rows: Vec<$crate::rows::PartyBranchRow> =
                    sqlx::query_as("SELECT id, community_id, name, version FROM party_branches ORDER BY name")
                        .fetch_all(&self.pool)
                        .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            #[tracing::instrument(skip_all, err)]
            async fn grids(&self) -> $crate::Result<Vec<chengguan_core::town::Grid>> {
                let rows: Vec<$crate::rows::GridRow> = sqlx::query_as(
                    "SELECT id, community_id, party_branch_id, code, name, boundary, boundary_version, version \
                     FROM grids ORDER BY code",
                )
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            #[tracing::instrument(skip_all, err)]
            async fn grid_boundary_history(
                &self,
                grid_id: uuid::Uuid,
            ) -> $crate::Result<Vec<(i64, geo::MultiPolygon<f64>, chrono::DateTime<chrono::Utc>)>> {
                let rows: Vec<(i64, String, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
                    "SELECT boundary_version, boundary, valid_until FROM grid_boundary_history \
                     WHERE grid_id = $1 ORDER BY boundary_version",
                )
                .bind(grid_id)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(v, text, until)| {
                        $crate::rows::decode_boundary(&text)
                            .map(|b| (v, b, until))
                            .map_err(|e| $crate::StoreError::Corrupt(format!("网格 {grid_id} 第 {v} 版边界：{e}")))
                    })
                    .collect()
            }

            #[tracing::instrument(skip_all, err)]
            async fn apply_grid_import(
                &self,
                plan: &$crate::GridImportPlan,
                audit: &chengguan_core::audit::AuditDraft,
            ) -> $crate::Result<$crate::GridImportSummary> {
                use chengguan_core::geo::measure::multipolygon_area_m2;
                let mut tx = self.pool.begin().await?;
                let now = chrono::Utc::now();
                for c in &plan.new_communities {
                    sqlx::query("INSERT INTO communities (id, code, name, version) VALUES ($1, $2, $3, $4)")
                        .bind(c.id).bind(&c.code).bind(&c.name).bind(c.version)
                        .execute(&mut *tx).await?;
                    Self::record(&mut tx, "community", Some(c.id), "insert", Some(c.version)).await?;
                }
                for g in &plan.new_grids {
                    let (x0, y0, x1, y1) = $crate::rows::bbox(&g.boundary);
                    sqlx::query(
                        "INSERT INTO grids (id, community_id, party_branch_id, code, name, boundary, min_lon, min_lat, \
                         max_lon, max_lat, area_m2, boundary_version, version, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                    )
                    .bind(g.id).bind(g.community_id).bind(g.party_branch_id).bind(&g.code).bind(&g.name)
                    .bind($crate::rows::encode_boundary(&g.boundary)).bind(x0).bind(y0).bind(x1).bind(y1)
                    .bind(multipolygon_area_m2(&g.boundary)).bind(g.boundary_version).bind(g.version).bind(now)
                    .execute(&mut *tx).await?;
                    Self::record(&mut tx, "grid", Some(g.id), "insert", Some(g.version)).await?;
                }
                for u in &plan.updates {
                    let old: Option<(String, i64)> =
                        sqlx::query_as("SELECT boundary, boundary_version FROM grids WHERE id = $1 AND version = $2")
                            .bind(u.grid_id).bind(u.expected_version)
                            .fetch_optional(&mut *tx).await?;
                    let Some((old_boundary, old_boundary_version)) = old else {
                        return Err(Self::stale(&mut tx, "grid", "grids", u.grid_id, u.expected_version).await);
                    };
                    sqlx::query(
                        "INSERT INTO grid_boundary_history (grid_id, boundary_version, boundary, valid_until) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(u.grid_id).bind(old_boundary_version).bind(old_boundary).bind(now)
                    .execute(&mut *tx).await?;
                    let (x0, y0, x1, y1) = $crate::rows::bbox(&u.boundary);
                    sqlx::query(
                        "UPDATE grids SET name = $1, community_id = $2, boundary = $3, min_lon = $4, min_lat = $5, \
                         max_lon = $6, max_lat = $7, area_m2 = $8, boundary_version = boundary_version + 1, \
                         version = version + 1, updated_at = $9 WHERE id = $10",
                    )
                    .bind(&u.name).bind(u.community_id).bind($crate::rows::encode_boundary(&u.boundary))
                    .bind(x0).bind(y0).bind(x1).bind(y1).bind(multipolygon_area_m2(&u.boundary)).bind(now).bind(u.grid_id)
                    .execute(&mut *tx).await?;
                    Self::record(&mut tx, "grid", Some(u.grid_id), "update", Some(u.expected_version + 1)).await?;
                }
                Self::audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok($crate::GridImportSummary {
                    communities_created: plan.new_communities.len(),
                    grids_created: plan.new_grids.len(),
                    grids_updated: plan.updates.len(),
                })
            }

            #[tracing::instrument(skip_all, err)]
            async fn update_grid(
                &self,
                edit: &$crate::GridEdit,
                audit: &chengguan_core::audit::AuditDraft,
            ) -> $crate::Result<chengguan_core::town::Grid> {
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query(
                    "UPDATE grids SET name = $1, party_branch_id = $2, version = version + 1, updated_at = $3 \
                     WHERE id = $4 AND version = $5",
                )
                .bind(&edit.name).bind(edit.party_branch_id).bind(chrono::Utc::now()).bind(edit.id).bind(edit.expected_version)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(Self::stale(&mut tx, "grid", "grids", edit.id, edit.expected_version).await);
                }
                Self::record(&mut tx, "grid", Some(edit.id), "update", Some(edit.expected_version + 1)).await?;
                Self::audit(&mut tx, audit).await?;
                let row: $crate::rows::GridRow = sqlx::query_as(
                    "SELECT id, community_id, party_branch_id, code, name, boundary, boundary_version, version \
                     FROM grids WHERE id = $1",
                )
                .bind(edit.id)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                row.try_into()
            }

            #[tracing::instrument(skip_all, err)]
            async fn grid_counts(&self, grid_id: uuid::Uuid) -> $crate::Result<$crate::GridCounts> {
                let (compounds, buildings, units, households): (i64, i64, i64, i64) = sqlx::query_as(
                    "SELECT (SELECT COUNT(*) FROM compounds WHERE grid_id = $1), \
                     (SELECT COUNT(*) FROM buildings WHERE grid_id = $1), \
                     (SELECT COUNT(*) FROM units u JOIN buildings b ON b.id = u.building_id WHERE b.grid_id = $1), \
                     (SELECT COALESCE(SUM(u.households), 0) FROM units u JOIN buildings b ON b.id = u.building_id \
                      WHERE b.grid_id = $1)",
                )
                .bind(grid_id)
                .fetch_one(&self.pool)
                .await?;
                Ok($crate::GridCounts { compounds, buildings, units, households })
            }

            #[tracing::instrument(skip_all, err)]
            async fn grid_people(&self, grid_id: uuid::Uuid) -> $crate::Result<Vec<$crate::GridPerson>> {
                let rows: Vec<$crate::rows::GridPersonRow> = sqlx::query_as(
                    "SELECT p.id, p.name, p.phone, p.id_number, p.party_member, p.version, a.role, a.level \
                     FROM role_assignments a JOIN people p ON p.id = a.person_id \
                     WHERE a.grid_id = $1 \
                        OR a.community_id = (SELECT community_id FROM grids WHERE id = $1) \
                     ORDER BY CASE a.level WHEN 'grid' THEN 0 ELSE 1 END, a.role, p.name",
                )
                .bind(grid_id)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            #[tracing::instrument(skip_all, err)]
            async fn person(&self, id: uuid::Uuid) -> $crate::Result<Option<chengguan_core::people::Person>> {
                let row: Option<$crate::rows::PersonRow> =
                    sqlx::query_as("SELECT id, name, phone, id_number, party_member, version FROM people WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(Into::into))
            }

            #[tracing::instrument(skip_all, err)]
            async fn update_person(
                &self,
                edit: &$crate::PersonEdit,
                audit: &chengguan_core::audit::AuditDraft,
            ) -> $crate::Result<chengguan_core::people::Person> {
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query(
                    "UPDATE people SET name = $1, phone = $2, party_member = $3, version = version + 1 \
                     WHERE id = $4 AND version = $5",
                )
                .bind(&edit.name).bind(&edit.phone).bind(edit.party_member).bind(edit.id).bind(edit.expected_version)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(Self::stale(&mut tx, "person", "people", edit.id, edit.expected_version).await);
                }
                Self::record(&mut tx, "person", Some(edit.id), "update", Some(edit.expected_version + 1)).await?;
                Self::audit(&mut tx, audit).await?;
                let row: $crate::rows::PersonRow =
                    sqlx::query_as("SELECT id, name, phone, id_number, party_member, version FROM people WHERE id = $1")
                        .bind(edit.id)
                        .fetch_one(&mut *tx)
                        .await?;
                tx.commit().await?;
                Ok(row.into())
            }

            #[tracing::instrument(skip_all, err)]
            async fn changes_since(&self, after: i64, limit: i64) -> $crate::Result<Vec<$crate::Change>> {
                let rows: Vec<$crate::rows::ChangeRow> = sqlx::query_as(
                    "SELECT seq, at, entity, entity_id, op, version FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2",
                )
                .bind(after)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            #[tracing::instrument(skip_all, err)]
            async fn latest_change(&self) -> $crate::Result<i64> {
                let seq: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM changes").fetch_one(&self.pool).await?;
                Ok(seq.unwrap_or(0))
            }

            #[tracing::instrument(skip_all, err)]
            async fn user_count(&self) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&self.pool).await?)
            }

            #[tracing::instrument(skip_all, err)]
            async fn user_by_username(&self, username: &str) -> $crate::Result<Option<chengguan_core::access::UserAccount>> {
                let row: Option<$crate::rows::UserRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM users WHERE username = $1", $crate::rows::USER_COLUMNS
                ))
                .bind(username)
                .fetch_optional(&self.pool)
                .await?;
                row.map(TryInto::try_into).transpose()
            }

            #[tracing::instrument(skip_all, err)]
            async fn users(&self) -> $crate::Result<Vec<chengguan_core::access::UserAccount>> {
                let rows: Vec<$crate::rows::UserRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM users ORDER BY username", $crate::rows::USER_COLUMNS
                ))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            #[tracing::instrument(skip_all, err)]
            async fn insert_user(
                &self,
                u: &chengguan_core::access::UserAccount,
                audit: &chengguan_core::audit::AuditDraft,
            ) -> $crate::Result<()> {
                let mut tx = self.pool.begin().await?;
                let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username = $1")
                    .bind(&u.username).fetch_one(&mut *tx).await?;
                if taken > 0 {
                    return Err($crate::StoreError::Duplicate { entity: "用户名", key: u.username.clone() });
                }
                Self::insert_user_row(&mut tx, u).await?;
                Self::record(&mut tx, "user", Some(u.id), "insert", Some(u.version)).await?;
                Self::audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            #[tracing::instrument(skip_all, err)]
            async fn insert_first_user(
                &self,
                u: &chengguan_core::access::UserAccount,
                audit: &chengguan_core::audit::AuditDraft,
            ) -> $crate::Result<bool> {
                let mut tx = self.pool.begin().await?;
                // The audit entry comes first: its UPDATE of the chain's head takes the write lock (SQLite) or the
                // head's row lock (PostgreSQL), so a concurrent first setup waits here and then sees this account.
                Self::audit(&mut tx, audit).await?;
                let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&mut *tx).await?;
                if existing > 0 {
                    return Ok(false);
                }
                Self::insert_user_row(&mut tx, u).await?;
                Self::record(&mut tx, "user", Some(u.id), "insert", Some(u.version)).await?;
                tx.commit().await?;
                Ok(true)
            }

            #[tracing::instrument(skip_all, err)]
            async fn update_user(
                &self,
                u: &chengguan_core::access::UserAccount,
                audit: &chengguan_core::audit::AuditDraft,
            ) -> $crate::Result<chengguan_core::access::UserAccount> {
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query(
                    "UPDATE users SET display_name = $1, password_hash = $2, roles = $3, grid_code = $4, \
                     disabled = $5, failed_attempts = $6, locked_until = $7, must_change_password = $8, \
                     password_changed_at = $9, version = version + 1 WHERE id = $10 AND version = $11",
                )
                .bind(&u.display_name).bind(&u.password_hash).bind($crate::rows::encode_roles(&u.roles))
                .bind(&u.grid_code).bind(u.disabled).bind(u.failed_attempts).bind(u.locked_until)
                .bind(u.must_change_password).bind(u.password_changed_at).bind(u.id).bind(u.version)
                .execute(&mut *tx).await?;
                if done.rows_affected() == 0 {
                    return Err(Self::stale(&mut tx, "user", "users", u.id, u.version).await);
                }
                Self::record(&mut tx, "user", Some(u.id), "update", Some(u.version + 1)).await?;
                Self::audit(&mut tx, audit).await?;
                let row: $crate::rows::UserRow = sqlx::query_as(&format!(
                    "SELECT {} FROM users WHERE id = $1", $crate::rows::USER_COLUMNS
                ))
                .bind(u.id).fetch_one(&mut *tx).await?;
                tx.commit().await?;
                row.try_into()
            }

            #[tracing::instrument(skip_all, err)]
            async fn sign_in_failed(
                &self,
                user_id: uuid::Uuid,
                restart: bool,
                lock_after: i64,
                lock_until: chrono::DateTime<chrono::Utc>,
                audit: &chengguan_core::audit::AuditDraft,
            ) -> $crate::Result<chengguan_core::access::UserAccount> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "UPDATE users SET \
                     locked_until = CASE WHEN $1 THEN NULL WHEN failed_attempts + 1 >= $2 THEN $3 ELSE locked_until END, \
                     failed_attempts = CASE WHEN $1 THEN 1 ELSE failed_attempts + 1 END \
                     WHERE id = $4",
                )
                .bind(restart).bind(lock_after).bind(lock_until).bind(user_id)
                .execute(&mut *tx).await?;
                Self::audit(&mut tx, audit).await?;
                let row: $crate::rows::UserRow = sqlx::query_as(&format!(
                    "SELECT {} FROM users WHERE id = $1", $crate::rows::USER_COLUMNS
                ))
                .bind(user_id).fetch_one(&mut *tx).await?;
                tx.commit().await?;
                row.try_into()
            }

            #[tracing::instrument(skip_all, err)]
            async fn sign_in_succeeded(
                &self,
                user_id: uuid::Uuid,
                audit: &chengguan_core::audit::AuditDraft,
            ) -> $crate::Result<()> {
                let mut tx = self.pool.begin().await?;
                sqlx::query("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = $1")
                    .bind(user_id).execute(&mut *tx).await?;
                Self::audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            #[tracing::instrument(skip_all, err)]
            async fn append_audit(
                &self,
                audit: &chengguan_core::audit::AuditDraft,
            ) -> $crate::Result<chengguan_core::audit::AuditEntry> {
                let mut tx = self.pool.begin().await?;
                let entry = Self::audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(entry)
            }

            #[tracing::instrument(skip_all, err)]
            async fn audit_entries(
                &self,
                filter: &$crate::AuditFilter,
            ) -> $crate::Result<Vec<chengguan_core::audit::AuditEntry>> {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT seq, at, actor, action, target, reason, detail, prev_hash, hash FROM audit_log WHERE 1 = 1",
                );
                if let Some(from) = filter.from { q.push(" AND at >= ").push_bind(from); }
                if let Some(to) = filter.to { q.push(" AND at < ").push_bind(to); }
                if let Some(actor) = &filter.actor { q.push(" AND actor = ").push_bind(actor.clone()); }
                if let Some(prefix) = &filter.action_prefix {
                    q.push(" AND substr(action, 1, CAST(").push_bind(prefix.chars().count() as i64)
                        .push(" AS INTEGER)) = ").push_bind(prefix.clone());
                }
                q.push(" ORDER BY seq DESC LIMIT ").push_bind(filter.limit.max(0));
                let rows: Vec<$crate::rows::AuditRow> = q.build_query_as().fetch_all(&self.pool).await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            #[tracing::instrument(skip_all, err)]
            async fn audit_chain(&self) -> $crate::Result<$crate::AuditChain> {
                let mut tx = self.pool.begin().await?;
                let head: (i64, String) = sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
                    .fetch_one(&mut *tx).await?;
                let rows: Vec<$crate::rows::AuditRow> = sqlx::query_as(
                    "SELECT seq, at, actor, action, target, reason, detail, prev_hash, hash FROM audit_log ORDER BY seq",
                )
                .fetch_all(&mut *tx).await?;
                tx.commit().await?;
                Ok($crate::AuditChain { entries: rows.into_iter().map(Into::into).collect(), head })
            }

            #[tracing::instrument(skip_all, err)]
            async fn insert_petition(
                &self,
                p: &chengguan_core::petitions::Petition,
                event: &chengguan_core::petitions::PetitionEvent,
                audit: &chengguan_core::audit::AuditDraft,
            ) -> $crate::Result<chengguan_core::petitions::Petition> {
                let mut tx = self.pool.begin().await?;
                let year = i64::from(p.number.year);
                let seq: i64 = sqlx::query_scalar(
                    "INSERT INTO petition_counters (year, last) VALUES ($1, 1) \
                     ON CONFLICT (year) DO UPDATE SET last = petition_counters.last + 1 RETURNING last",
                )
                .bind(year).fetch_one(&mut *tx).await?;
                sqlx::query(&format!(
                    "INSERT INTO petitions ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
                     $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28)",
                    $crate::rows::PETITION_COLUMNS
                ))
                .bind(p.id).bind(year).bind(seq).bind(p.channel.code()).bind(&p.category).bind(&p.description)
                .bind(p.location.map(|l| l[0])).bind(p.location.map(|l| l[1])).bind(&p.arrived_crs).bind(&p.address)
                .bind(&p.grid_code).bind(&p.grid_override_reason).bind(&p.reporter_name).bind(&p.reporter_phone)
                .bind(p.status.code()).bind(p.level.map(|l| l.code())).bind(&p.assignee).bind(p.deadline)
                .bind(p.rating.map(i64::from)).bind(&p.rating_comment).bind(p.merged_into).bind(p.received_at)
                .bind(p.closed_at).bind(1_i64).bind(&p.media_url).bind(p.updated_at)
                .bind(&p.reporter_email).bind(&p.reporter_device)
                .execute(&mut *tx).await?;
                Self::petition_event(&mut tx, p.id, event).await?;
                Self::record(&mut tx, "petition", Some(p.id), "insert", Some(1)).await?;
                let mut audit = audit.clone();
                audit.target = format!("petition:GT-{year:04}-{seq:06}");
                Self::audit(&mut tx, &audit).await?;
                tx.commit().await?;
                // As stored: the row holds exactly these values (no read-back: this is the intake's hot path).
                Ok(chengguan_core::petitions::Petition {
                    number: chengguan_core::petitions::PetitionNumber { year: p.number.year, sequence: seq as u32 },
                    version: 1,
                    ..p.clone()
                })
            }

            #[tracing::instrument(skip_all, err)]
            async fn petition(&self, id: uuid::Uuid) -> $crate::Result<Option<chengguan_core::petitions::Petition>> {
                let row: Option<$crate::rows::PetitionRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM petitions WHERE id = $1", $crate::rows::PETITION_COLUMNS
                ))
                .bind(id).fetch_optional(&self.pool).await?;
                row.map(TryInto::try_into).transpose()
            }

            #[tracing::instrument(skip_all, err)]
            async fn petition_by_number(
                &self,
                year: i64,
                seq: i64,
            ) -> $crate::Result<Option<chengguan_core::petitions::Petition>> {
                let row: Option<$crate::rows::PetitionRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM petitions WHERE year = $1 AND seq = $2", $crate::rows::PETITION_COLUMNS
                ))
                .bind(year).bind(seq).fetch_optional(&self.pool).await?;
                row.map(TryInto::try_into).transpose()
            }

            #[tracing::instrument(skip_all, err)]
            async fn petitions(
                &self,
                filter: &$crate::PetitionFilter,
            ) -> $crate::Result<Vec<chengguan_core::petitions::Petition>> {
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM petitions", $crate::rows::PETITION_COLUMNS
                ));
                $crate::queries::petition_conditions!(q, filter);
                q.push(if filter.by_deadline { " ORDER BY deadline, year, seq" } else { " ORDER BY year DESC, seq DESC" });
                q.push(" LIMIT ").push_bind(filter.limit.max(0));
                q.push(" OFFSET ").push_bind(filter.offset.max(0));
                let rows: Vec<$crate::rows::PetitionRow> = q.build_query_as().fetch_all(&self.pool).await?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            #[tracing::instrument(skip_all, err)]
            async fn petition_points(
                &self,
                filter: &$crate::PetitionFilter,
            ) -> $crate::Result<Vec<$crate::PetitionPoint>> {
                let mut q = sqlx::QueryBuilder::<$db>::new("SELECT lon, lat, grid_code, received_at FROM petitions");
                $crate::queries::petition_conditions!(q, filter);
                q.push(" AND lon IS NOT NULL AND lat IS NOT NULL");
                Ok(q.build_query_as().fetch_all(&self.pool).await?)
            }

            #[tracing::instrument(skip_all, err)]
            async fn count_petitions(&self, filter: &$crate::PetitionFilter) -> $crate::Result<i64> {
                let mut q = sqlx::QueryBuilder::<$db>::new("SELECT COUNT(*) FROM petitions");
                $crate::queries::petition_conditions!(q, filter);
                Ok(q.build_query_scalar().fetch_one(&self.pool).await?)
            }

            #[tracing::instrument(skip_all, err)]
            async fn update_petition(
                &self,
                u: &$crate::PetitionUpdate,
                audit: &chengguan_core::audit::AuditDraft,
            ) -> $crate::Result<chengguan_core::petitions::Petition> {
                let p = &u.petition;
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query(
                    "UPDATE petitions SET category = $1, grid_code = $2, grid_override_reason = $3, status = $4, \
                     level = $5, assignee = $6, deadline = $7, rating = $8, rating_comment = $9, merged_into = $10, \
                     closed_at = $11, updated_at = $14, version = version + 1 WHERE id = $12 AND version = $13",
                )
                .bind(&p.category).bind(&p.grid_code).bind(&p.grid_override_reason).bind(p.status.code())
                .bind(p.level.map(|l| l.code())).bind(&p.assignee).bind(p.deadline).bind(p.rating.map(i64::from))
                .bind(&p.rating_comment).bind(p.merged_into).bind(p.closed_at).bind(p.id).bind(p.version)
                .bind(p.updated_at)
                .execute(&mut *tx).await?;
                if done.rows_affected() == 0 {
                    return Err(Self::stale(&mut tx, "petition", "petitions", p.id, p.version).await);
                }
                Self::petition_event(&mut tx, p.id, &u.event).await?;
                Self::record(&mut tx, "petition", Some(p.id), "update", Some(p.version + 1)).await?;
                Self::audit(&mut tx, audit).await?;
                let row: $crate::rows::PetitionRow = sqlx::query_as(&format!(
                    "SELECT {} FROM petitions WHERE id = $1", $crate::rows::PETITION_COLUMNS
                ))
                .bind(p.id).fetch_one(&mut *tx).await?;
                tx.commit().await?;
                row.try_into()
            }

            #[tracing::instrument(skip_all, err)]
            async fn petition_events(
                &self,
                id: uuid::Uuid,
            ) -> $crate::Result<Vec<chengguan_core::petitions::PetitionEvent>> {
                let rows: Vec<$crate::rows::PetitionEventRow> = sqlx::query_as(
                    "SELECT at, actor, action, status_after, note FROM petition_events WHERE petition_id = $1 ORDER BY id",
                )
                .bind(id).fetch_all(&self.pool).await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }
        }

        impl $store {
            /// Appends a timeline entry inside `tx`.
            async fn petition_event(
                tx: &mut sqlx::Transaction<'_, $db>,
                petition: uuid::Uuid,
                e: &chengguan_core::petitions::PetitionEvent,
            ) -> $crate::Result<()> {
                sqlx::query(
                    "INSERT INTO petition_events (petition_id, at, actor, action, status_after, note) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(petition).bind(e.at).bind(&e.actor).bind(&e.action).bind(&e.status_after).bind(&e.note)
                .execute(&mut **tx).await?;
                Ok(())
            }

            /// Writes the row of a new account inside `tx`.
            async fn insert_user_row(
                tx: &mut sqlx::Transaction<'_, $db>,
                u: &chengguan_core::access::UserAccount,
            ) -> $crate::Result<()> {
                sqlx::query(
                    "INSERT INTO users (id, username, display_name, password_hash, roles, grid_code, disabled, \
                     failed_attempts, locked_until, must_change_password, created_at, password_changed_at, version) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                )
                .bind(u.id).bind(&u.username).bind(&u.display_name).bind(&u.password_hash)
                .bind($crate::rows::encode_roles(&u.roles)).bind(&u.grid_code).bind(u.disabled)
                .bind(u.failed_attempts).bind(u.locked_until).bind(u.must_change_password)
                .bind(u.created_at).bind(u.password_changed_at).bind(u.version)
                .execute(&mut **tx).await?;
                Ok(())
            }

            /// Appends an audit entry inside `tx`, chained to the head. Updating the head row first takes the
            /// write lock (SQLite) or the row lock (PostgreSQL), so concurrent appends queue and never fork.
            async fn audit(
                tx: &mut sqlx::Transaction<'_, $db>,
                draft: &chengguan_core::audit::AuditDraft,
            ) -> $crate::Result<chengguan_core::audit::AuditEntry> {
                use chrono::SubsecRound;
                let (seq, prev_hash): (i64, String) =
                    sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
                        .fetch_one(&mut **tx).await?;
                let at = chrono::Utc::now().trunc_subsecs(6);
                let hash = chengguan_core::audit::entry_hash(&prev_hash, seq, at, draft);
                sqlx::query(
                    "INSERT INTO audit_log (seq, at, actor, action, target, reason, detail, prev_hash, hash) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(seq).bind(at).bind(&draft.actor).bind(&draft.action).bind(&draft.target)
                .bind(&draft.reason).bind(&draft.detail).bind(&prev_hash).bind(&hash)
                .execute(&mut **tx).await?;
                sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&hash).execute(&mut **tx).await?;
                Ok(chengguan_core::audit::AuditEntry { seq, at, draft: draft.clone(), prev_hash, hash })
            }

            /// Appends `drafts` to the audit chain inside `tx`, in order: one head update and one multi-row insert
            /// for them all (the group commit's entries), chained exactly as one [`Self::audit`] call each.
            async fn audit_many(
                tx: &mut sqlx::Transaction<'_, $db>,
                drafts: &[chengguan_core::audit::AuditDraft],
            ) -> $crate::Result<()> {
                use chrono::SubsecRound;
                if drafts.is_empty() {
                    return Ok(());
                }
                let n = drafts.len() as i64;
                let (last, mut prev): (i64, String) =
                    sqlx::query_as("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash")
                        .bind(n)
                        .fetch_one(&mut **tx).await?;
                let at = chrono::Utc::now().trunc_subsecs(6);
                let mut rows = Vec::with_capacity(drafts.len());
                for (i, draft) in drafts.iter().enumerate() {
                    let seq = last - n + 1 + i as i64;
                    let hash = chengguan_core::audit::entry_hash(&prev, seq, at, draft);
                    rows.push((seq, draft, std::mem::replace(&mut prev, hash.clone()), hash));
                }
                $crate::queries::bulk_insert!($db, (*tx),
                    "INSERT INTO audit_log (seq, at, actor, action, target, reason, detail, prev_hash, hash) ",
                    rows, |b, r| {
                        b.push_bind(r.0).push_bind(at).push_bind(r.1.actor.as_str()).push_bind(r.1.action.as_str())
                            .push_bind(r.1.target.as_str()).push_bind(r.1.reason.as_deref())
                            .push_bind(r.1.detail.as_str()).push_bind(r.2.as_str()).push_bind(r.3.as_str());
                    });
                sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&prev).execute(&mut **tx).await?;
                Ok(())
            }

            /// Appends to the change feed inside `tx` and wakes listeners (on commit).
            async fn record(
                tx: &mut sqlx::Transaction<'_, $db>,
                entity: &str,
                entity_id: Option<uuid::Uuid>,
                op: &str,
                version: Option<i64>,
            ) -> $crate::Result<i64> {
                let seq: i64 = sqlx::query_scalar(
                    "INSERT INTO changes (at, entity, entity_id, op, version) VALUES ($1, $2, $3, $4, $5) RETURNING seq",
                )
                .bind(chrono::Utc::now())
                .bind(entity)
                .bind(entity_id)
                .bind(op)
                .bind(version)
                .fetch_one(&mut **tx)
                .await?;
                Self::after_change(tx, seq).await?;
                Ok(seq)
            }

            /// The error for a versioned write that matched no row: not found, or a conflict with the stored version.
            async fn stale(
                tx: &mut sqlx::Transaction<'_, $db>,
                entity: &'static str,
                table: &str,
                id: uuid::Uuid,
                expected: i64,
            ) -> $crate::StoreError {
                let actual: Result<Option<i64>, sqlx::Error> =
                    sqlx::query_scalar(&format!("SELECT version FROM {table} WHERE id = $1"))
                        .bind(id)
                        .fetch_optional(&mut **tx)
                        .await;
                match actual {
                    Ok(Some(actual)) => $crate::StoreError::Conflict { entity, id, expected, actual },
                    Ok(None) => $crate::StoreError::NotFound { entity, id },
                    Err(e) => e.into(),
                }
            }
        }
    };
}

pub(crate) use {bulk_insert, petition_conditions, store_impl};

/// Tables holding town data, children before parents (the order to delete them in).
pub(crate) const TABLES_CHILD_FIRST: [&str; 13] = [
    "role_assignments",
    "people",
    "alliance_members",
    "alliances",
    "service_points",
    "units",
    "buildings",
    "compounds",
    "organisations",
    "grid_boundary_history",
    "grids",
    "party_branches",
    "communities",
];

/// Assembles a census from the raw counts, with every known code present.
pub(crate) fn census(
    counts: [i64; 8],
    organisations: Vec<(String, i64)>,
    roles: Vec<(String, i64)>,
    points: Vec<(String, i64)>,
) -> chengguan_core::census::TownCensus {
    use chengguan_core::people::Role;
    use chengguan_core::town::{OrganisationKind, ServicePointKind};
    use std::collections::BTreeMap;
    let fill = |codes: Vec<&'static str>, found: Vec<(String, i64)>| {
        let mut map: BTreeMap<String, i64> =
            codes.into_iter().map(|c| (c.to_string(), 0)).collect();
        map.extend(found);
        map
    };
    let [communities, grids, party_branches, compounds, buildings, units, households, alliances] =
        counts;
    chengguan_core::census::TownCensus {
        communities,
        grids,
        party_branches,
        compounds,
        buildings,
        units,
        households,
        alliances,
        organisations: fill(
            OrganisationKind::ALL.iter().map(|k| k.code()).collect(),
            organisations,
        ),
        people_by_role: fill(Role::ALL.iter().map(|r| r.code()).collect(), roles),
        service_points: fill(
            ServicePointKind::ALL.iter().map(|k| k.code()).collect(),
            points,
        ),
    }
}
