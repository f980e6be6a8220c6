"""The volume driver of the real-pods bed's Cinder.

cinder/tests/fake_driver.py (shipped in python3-cinder) fakes every LVM and iSCSI call, but its
FakeBrickLVM has no extend_volume, so `os-extend` ends in error_extending, and a volume made from
an image would be written through a block device that does not exist. This subclass makes those
two no-ops, like the rest of the fake: the bed tests the APIs and state machines, not the data.
"""
from cinder.tests import fake_driver


class BedVolumeDriver(fake_driver.FakeLoggingVolumeDriver):

    def extend_volume(self, volume, new_size):
        pass

    def copy_image_to_volume(self, context, volume, image_service, image_id,
                             disable_sparse=False):
        pass

    def copy_image_to_encrypted_volume(self, context, volume, image_service,
                                       image_id):
        pass
