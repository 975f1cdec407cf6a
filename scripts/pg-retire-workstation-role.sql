-- Retires the shared workstation role of earlier LAN deployments, whose password every workstation held in its
-- config.toml. Since LAN workstations work through the town server (`chengguan serve`, docs/deployment.md), no
-- workstation connects to PostgreSQL; only the server's own role remains. Run as the database's owner once the
-- workstations are switched to the server:
--   psql -d chengguan -v ws_role=chengguan_ws -f scripts/pg-retire-workstation-role.sql

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM :"ws_role";
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM :"ws_role";
REVOKE ALL ON SCHEMA public FROM :"ws_role";
SELECT format('REVOKE ALL ON DATABASE %I FROM %I', current_database(), :'ws_role') \gexec
DROP ROLE :"ws_role";
