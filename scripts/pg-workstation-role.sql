-- The least-privilege role for the workstations of a LAN deployment (docs/deployment.md).
-- Run as the database's owner after the first program (or `chengguan init` as the owner) has created the schema:
--   psql -d chengguan -v ws_role=chengguan_ws -v ws_password='…' -f scripts/pg-workstation-role.sql
-- The role reads and writes the town's data, but cannot change the schema, and can only add to the audit log:
-- no UPDATE, DELETE or TRUNCATE on audit_log (its triggers refuse those too), and only the one-row head moves.

CREATE ROLE :"ws_role" LOGIN PASSWORD :'ws_password';
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), :'ws_role') \gexec
GRANT USAGE ON SCHEMA public TO :"ws_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"ws_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"ws_role";
REVOKE INSERT, UPDATE, DELETE ON _sqlx_migrations FROM :"ws_role";
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM :"ws_role";
REVOKE DELETE, TRUNCATE ON audit_head FROM :"ws_role";
