; GridCert's Uninstall.exe, compiled by gridcert.nsi (with the same defines) and written
; into the program folder.
;
; An ordinary NSIS program rather than an NSIS "uninstaller": those copy themselves to
; %TEMP%, start the copy and exit 0 at once, so an administrator's tool (SCCM, Intune)
; never saw the real outcome. This one does the work itself and exits with it:
;   0 removed · 1 cancelled · 2 nothing changed (GridCert running, an unknown switch)
;   740 an all-users installation, silently, without administrator rights.
; Its own file cannot be deleted while it runs: when it is done it starts a copy of itself
; from %TEMP% (/CLEANUP=folder) that removes Uninstall.exe and the then empty folder.
;
; It knows how GridCert was installed from the registration (the Uninstall key whose
; InstallLocation is its folder, in HKLM or HKCU), not from a switch. It removes exactly
; the files listed in GridCert-files.txt (written at install time), the shortcut, the
; "Open with" entries, the PATH entry, the Apps & features entry and this user's daily
; reminder task. Never certificates in any store, nor GridCert's data folder
; (%LOCALAPPDATA%\GridCert: journal, backups, pending keys).

Unicode true
SetCompressor /SOLID lzma
ManifestDPIAware true
ManifestSupportedOS all
RequestExecutionLevel user

; gridcert.nsi passes the task name's backslash as "|" (see there).
!ifdef REMINDER_TASK
  !searchreplace REMINDER_TASK_UNESCAPED "${REMINDER_TASK}" "|" "\"
  !undef REMINDER_TASK
  !define REMINDER_TASK "${REMINDER_TASK_UNESCAPED}"
!endif
!ifdef REMINDER_TASK_OLD
  !searchreplace REMINDER_TASK_OLD_UNESCAPED "${REMINDER_TASK_OLD}" "|" "\"
  !undef REMINDER_TASK_OLD
  !define REMINDER_TASK_OLD "${REMINDER_TASK_OLD_UNESCAPED}"
!endif
!include "common.nsh"

!ifndef OUTFILE
  !error "OUTFILE is not defined (gridcert.nsi compiles this script)"
!endif

Name "${APP_NAME}"
Caption "${APP_NAME} Uninstall"
OutFile "${OUTFILE}"
BrandingText "${APP_NAME} ${VERSION}"
ShowInstDetails show
VIAddVersionKey "FileDescription" "${APP_NAME} uninstaller"
!ifdef TEST_AUTOPILOT
  AutoCloseWindow true
!endif

!include "MUI2.nsh"
!include "nsDialogs.nsh"
!define MUI_ICON "${ICON_FILE}"
!define MUI_HEADERIMAGE
!define MUI_HEADERIMAGE_RIGHT
!define MUI_HEADERIMAGE_BITMAP "header.bmp"
InstallButtonText "&Uninstall"
!define MUI_CUSTOMFUNCTION_ABORT UserAbort
Page custom ConfirmPageShow
!define MUI_PAGE_HEADER_TEXT "Removing GridCert"
!define MUI_PAGE_HEADER_SUBTEXT "Certificates you installed and GridCert's backups stay."
!define MUI_INSTFILESPAGE_FINISHHEADER_TEXT "GridCert was removed"
!define MUI_INSTFILESPAGE_FINISHHEADER_SUBTEXT "Certificates you installed and GridCert's backups stay."
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

!if ${NSIS_PTR_SIZE} = 4
  !define SEI_SIZE 60
!else
  !define SEI_SIZE 112
!endif

Var AllUsers
Var IsAdmin
Var Elevated     ; 1 when started again through "runas" by this program
Var Switch       ; /ALLUSERS or /CURRENTUSER as given (used only without a registration)
Var CleanupDir

; ---------------------------------------------------------------- start

Function .onInit
  !insertmacro ApInit
  SetShellVarContext current
  ${If} ${RunningX64}
    SetRegView 64
  ${EndIf}
  StrCpy $INSTDIR $EXEDIR
  StrCpy $Switch 0
  StrCpy $Elevated 0
  StrCpy $CleanupDir ""

  ${GetParameters} $R9
  StrCpy $ArgRest $R9
  ${Do}
    Call NextArg
    ${If} $Arg == ""
      ${Break}
    ${EndIf}
    StrCpy $0 $Arg 9
    StrCpy $1 $Arg 3
    ${If} $1 == "_?="
      ; What older GridCert versions' uninstaller took (NSIS's "run in place"; this one
      ; always does): the rest of the line is its folder. Accepted and ignored.
      ${Break}
    ${ElseIf} $Arg S== "/S"
    ${OrIf} $Arg S== "/NCRC"
    ${ElseIf} $Arg == "/ALLUSERS"
      StrCpy $Switch 1
    ${ElseIf} $Arg == "/CURRENTUSER"
      StrCpy $Switch 0
    ${ElseIf} $Arg == "/ELEVATED"
      StrCpy $Elevated 1
    ${ElseIf} $0 == "/CLEANUP="
      StrCpy $CleanupDir $Arg "" 9
    ${Else}
      !insertmacro Tell "Unrecognised switch: $Arg$\r$\n$\r$\nSwitches: /S (silent)."
      SetErrorLevel ${EXIT_ABORTED}
      Quit
    ${EndIf}
  ${Loop}

  ${If} $CleanupDir != ""
    Call Cleanup
    SetErrorLevel 0
    Quit
  ${EndIf}

  ; How GridCert was installed: from its registration, whatever the switches say.
  ReadRegStr $0 HKLM "${UNINSTALL_KEY}" "InstallLocation"
  ReadRegStr $1 HKCU "${UNINSTALL_KEY}" "InstallLocation"
  ${If} $0 == $INSTDIR
    StrCpy $AllUsers 1
  ${ElseIf} $1 == $INSTDIR
    StrCpy $AllUsers 0
  ${Else}
    StrCpy $AllUsers $Switch
  ${EndIf}

  ; An all-users installation needs administrator rights to remove. Apps & features
  ; starts this without them: ask for them (UAC) by starting it again with "runas" and
  ; wait for that, passing on its exit code.
  !insertmacro CheckAdmin $IsAdmin $Elevated
  !insertmacro ApLine "uninstall params=[$R9] all-users=$AllUsers admin=$IsAdmin"
  ${If} $AllUsers == 1
  ${AndIf} $IsAdmin != 1
    ${If} ${Silent}
    ${OrIf} $Elevated == 1
      !insertmacro Tell "GridCert was installed for all users: removing it needs administrator rights."
      SetErrorLevel ${EXIT_NEEDS_ELEVATION}
      Quit
    ${EndIf}
    Call RunElevated
    Quit
  ${EndIf}

FunctionEnd

; Interactive: what will be removed, and the Uninstall button (Cancel exits 1).
Function ConfirmPageShow
  !insertmacro MUI_HEADER_TEXT "Uninstall GridCert" "Remove GridCert from this computer."
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 60u "GridCert will be removed from $INSTDIR.$\r$\n$\r$\nCertificates you installed stay where they are, and so do GridCert's backups (%LOCALAPPDATA%\${APP_NAME}). To remove certificates, use GridCert before uninstalling it."
  Pop $0
  !ifdef TEST_AUTOPILOT
    !insertmacro ApLine "confirm $INSTDIR"
    System::Call 'user32::PostMessageW(p $HWNDPARENT, i ${WM_COMMAND}, p 1, p 0)'
  !endif
  nsDialogs::Show
FunctionEnd

Function UserAbort
  SetErrorLevel ${EXIT_CANCELLED}
FunctionEnd

; Starts this program again elevated with the same switches plus /ELEVATED, waits, and
; sets its exit code as ours.
Function RunElevated
  ; The folder is not the copy's working folder (it could not be removed then).
  StrCpy $6 $EXEPATH
  StrCpy $7 "$R9 /ELEVATED"
  System::Call '*(i ${SEI_SIZE}, i 0x40, p $HWNDPARENT, w "runas", w r6, w r7, w "$WINDIR", i 1, p 0, p 0, p 0, p 0, i 0, p 0, p 0) p .r1'
  !ifdef TEST_AUTOPILOT
    ; What is asked of Windows, read back from the structure ShellExecuteExW gets.
    System::Call '*$1(i, i, p, w .r8, w .r9, w .r0, w .r2)'
    !insertmacro ApLine "runas verb=[$8] file=[$9] params=[$0] dir=[$2]"
    ; %GRIDCERT_TEST_SHELL32% names a stand-in for shell32 (the test of a "No" to UAC:
    ; Wine has no UAC prompt to decline).
    ReadEnvStr $8 GRIDCERT_TEST_SHELL32
    ${If} $8 == ""
      StrCpy $8 shell32
    ${EndIf}
    System::Call '$8::ShellExecuteExW(p r1) i .r2 ?e'
  !else
    System::Call 'shell32::ShellExecuteExW(p r1) i .r2 ?e'
  !endif
  Pop $3
  ${If} $2 == 0
    System::Free $1
    !insertmacro ApLine "elevated copy: not started, error=$3"
    ${If} $3 == 1223  ; ERROR_CANCELLED: the person said no to UAC
      SetErrorLevel ${EXIT_CANCELLED}
    ${Else}
      SetErrorLevel ${EXIT_NEEDS_ELEVATION}
    ${EndIf}
    Return
  ${EndIf}
  System::Call '*$1(i, i, p, p, p, p, p, i, p, p, p, p, i, p, p .r4)'
  System::Free $1
  System::Call 'kernel32::WaitForSingleObject(p r4, i -1)'
  System::Call 'kernel32::GetExitCodeProcess(p r4, *i .r5)'
  System::Call 'kernel32::CloseHandle(p r4)'
  !insertmacro ApLine "elevated copy: started=$2 process=$4 exit=$5"
  SetErrorLevel $5
FunctionEnd

; The copy in %TEMP%: waits until Uninstall.exe (which started it and is exiting) can be
; deleted, then removes it and the folder if that is then empty. Only after an uninstall:
; never while the file list is still there.
Function Cleanup
  ${If} ${FileExists} "$CleanupDir\${MANIFEST}"
    Return
  ${EndIf}
  ; A process's working folder cannot be removed: not this one's.
  SetOutPath $TEMP
  ${For} $0 1 300
    Delete "$CleanupDir\${UNINSTALL_EXE}"
    ${IfNot} ${FileExists} "$CleanupDir\${UNINSTALL_EXE}"
      ${Break}
    ${EndIf}
    Sleep 200
  ${Next}
  RMDir "$CleanupDir"
  Delete /REBOOTOK "$EXEPATH"
FunctionEnd

Function .onInstSuccess
  System::Call 'kernel32::GetTickCount() i .r0'
  StrCpy $1 "$TEMP\GridCert-uninstall-$0.exe"
  CopyFiles /SILENT "$EXEPATH" $1
  SetOutPath $TEMP  ; the copy inherits the working folder: not the one it removes
  Exec '"$1" /S "/CLEANUP=$INSTDIR"'
FunctionEnd

; ---------------------------------------------------------------- removing

; $R4 = the manifest line $R2 without its kind and line end; $R3 = "F" or "D"; "" for a
; line that is not a plain relative path (never anything outside the program folder).
Function ParseManifestLine
  StrCpy $R3 $R2 1
  StrCpy $R4 $R2 "" 2
  ${Do}
    StrCpy $0 $R4 1 -1
    ${If} $0 == "$\r"
    ${OrIf} $0 == "$\n"
      StrCpy $R4 $R4 -1
    ${Else}
      ${Break}
    ${EndIf}
  ${Loop}
  StrCpy $0 $R4 1
  ${If} $R4 == ""
  ${OrIf} $0 == "\"
  ${OrIf} $0 == "/"
    StrCpy $R3 ""
  ${EndIf}
  StrLen $1 $R4
  ${For} $2 0 $1
    StrCpy $0 $R4 2 $2
    ${If} $0 == ".."
      StrCpy $R3 ""
    ${EndIf}
    StrCpy $0 $R4 1 $2
    ${If} $0 == ":"
      StrCpy $R3 ""
    ${EndIf}
  ${Next}
FunctionEnd

; Removes the files of the manifest, then its folders, deepest first ($R0 = "D" pass
; count: one pass per level; RMDir only removes empty folders).
Function RemoveListedFiles
  ClearErrors
  FileOpen $R1 "$INSTDIR\${MANIFEST}" r
  ${If} ${Errors}
    ; Installed by a version without a list: its own files, by name.
    DetailPrint "No ${MANIFEST}: removing GridCert's files by name"
    Delete "$INSTDIR\${GUI_EXE}"
    Delete "$INSTDIR\${CLI_EXE}"
    Delete "$INSTDIR\gridcert.ico"
    ${If} ${FileExists} "$INSTDIR\_internal\base_library.zip"
      RMDir /r "$INSTDIR\_internal"
    ${EndIf}
    Return
  ${EndIf}
  ${Do}
    ClearErrors
    FileRead $R1 $R2
    ${If} ${Errors}
      ${Break}
    ${EndIf}
    Call ParseManifestLine
    ${If} $R3 == "F"
    ${AndIf} $R4 != "${UNINSTALL_EXE}"
    ${AndIf} $R4 != "${MANIFEST}"
      Delete "$INSTDIR\$R4"
    ${EndIf}
  ${Loop}
  ${For} $R0 1 16
    FileSeek $R1 0 SET
    ${Do}
      ClearErrors
      FileRead $R1 $R2
      ${If} ${Errors}
        ${Break}
      ${EndIf}
      Call ParseManifestLine
      ${If} $R3 == "D"
        RMDir "$INSTDIR\$R4"
      ${EndIf}
    ${Loop}
  ${Next}
  FileClose $R1
  Delete "$INSTDIR\${MANIFEST}"
FunctionEnd

!macro RemoveOpenWith ROOT EXT
  DeleteRegValue ${ROOT} "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}"
  DeleteRegKey /ifempty ${ROOT} "Software\Classes\${EXT}\OpenWithProgids"
  DeleteRegKey /ifempty ${ROOT} "Software\Classes\${EXT}"
  ; Explorer's own per-user copy of the choice.
  DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Explorer\FileExts\${EXT}\OpenWithProgids" "${PROGID}"
!macroend

!macro RemoveRegistration ROOT
  DeleteRegKey ${ROOT} "Software\Classes\${PROGID}"
  DeleteRegKey ${ROOT} "Software\Classes\Applications\${GUI_EXE}"
  !insertmacro RemoveOpenWith ${ROOT} ".pfx"
  !insertmacro RemoveOpenWith ${ROOT} ".p12"
  !insertmacro RemoveOpenWith ${ROOT} ".cer"
  !insertmacro RemoveOpenWith ${ROOT} ".crt"
  !insertmacro RemoveOpenWith ${ROOT} ".p7b"
  DeleteRegKey ${ROOT} "${UNINSTALL_KEY}"
!macroend

Function RemoveFromPath
  ${If} $AllUsers == 1
    ReadRegStr $0 HKLM "${MACHINE_ENV_KEY}" "Path"
  ${Else}
    ReadRegStr $0 HKCU "Environment" "Path"
  ${EndIf}
  StrLen $4 $0
  ${If} $4 >= 1000
    DetailPrint "PATH is too long to change safely: remove $INSTDIR from it by hand."
    Return
  ${EndIf}
  StrCpy $1 $INSTDIR
  Call PathWithout
  ${If} $3 != 1
    Return
  ${EndIf}
  ${If} $AllUsers == 1
    WriteRegExpandStr HKLM "${MACHINE_ENV_KEY}" "Path" $2
  ${ElseIf} $2 == ""
    DeleteRegValue HKCU "Environment" "Path"
  ${Else}
    WriteRegExpandStr HKCU "Environment" "Path" $2
  ${EndIf}
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=2000
FunctionEnd

Section "Remove GridCert" SecRemove
  !insertmacro ApLine "removing $INSTDIR"
  ; Here, not in .onInit: the all-users context before the window exists made Wine's
  ; uninstaller window crash.
  ${If} $AllUsers == 1
    SetShellVarContext all
  ${EndIf}
  !insertmacro RequireNotRunning "remove it"

  ; This user's daily reminder (gridcert check --reminder on): a scheduled task. Hidden;
  ; "not found" (never turned on) is fine.
  nsExec::Exec '"$SYSDIR\schtasks.exe" /Delete /F /TN "${REMINDER_TASK}"'
  Pop $0
  DetailPrint "Daily reminder task: schtasks /Delete exited with $0"
  ; The same task under the name it had before (app/actions/reminder.py OLD_TASK_NAMES).
  nsExec::Exec '"$SYSDIR\schtasks.exe" /Delete /F /TN "${REMINDER_TASK_OLD}"'
  Pop $0

  Call RemoveListedFiles
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Call RemoveFromPath
  ${If} $AllUsers == 1
    !insertmacro RemoveRegistration HKLM
  ${Else}
    !insertmacro RemoveRegistration HKCU
  ${EndIf}
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  ; Only if empty (Uninstall.exe is removed by the cleanup copy): anything else in the
  ; folder was not GridCert's and stays.
  RMDir "$INSTDIR"
SectionEnd
