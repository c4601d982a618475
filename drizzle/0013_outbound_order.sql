-- The outbound worker sends one citizen's messages in the order they were written: before sending a
-- row it asks whether an earlier row to the same user is still pending. This index answers that.
CREATE INDEX "outbound_messages_pending_user_idx" ON "outbound_messages" USING btree ("zalo_user_id","id") WHERE "outbound_messages"."status" = 'pending';
