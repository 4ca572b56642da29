ALTER TABLE `label` ADD `gold` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `label_gold_idx` ON `label` (`project_id`,`labeler_id`,`gold`);--> statement-breakpoint
UPDATE `label` SET `gold` = 1 WHERE `query_id` IN (SELECT `id` FROM `query` WHERE `is_gold` = 1);
