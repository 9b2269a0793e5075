include $(sort $(wildcard $(BR2_EXTERNAL_MKCRAMFS_XIP_PATH)/package/*/*.mk))

# Buildroot's fs/cramfs runs cramfs-tools' $(HOST_DIR)/bin/mkcramfs under
# fakeroot, after makedevs has applied the device tables, with CRAMFS_OPTS:
# -B or -L for the target's byte order, plus -X -X (MMU) or -X (no-MMU)
# when BR2_TARGET_ROOTFS_CRAMFS_XIP is set. Run ours with the same options.
# This file is read after fs/*.mk, and the command is expanded only when
# the image is built, so this definition wins.
ifeq ($(BR2_PACKAGE_HOST_MKCRAMFS_XIP),y)
define ROOTFS_CRAMFS_CMD
	$(HOST_DIR)/sbin/mkcramfs $(CRAMFS_OPTS) $(TARGET_DIR) $@
endef
# fs/cramfs's dependency list was expanded already: add ours as a rule.
$(BINARIES_DIR)/rootfs.cramfs: host-mkcramfs-xip
endif
